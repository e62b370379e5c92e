import type { MetricData, TrendData } from '../../harness/engine/recorder/index.js';
import { combineMetricData } from '../../harness/engine/result/combine.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';

/**
 * The sum of counter `name` over every tag set in `data` (0 when it has none).
 *
 * @example
 * const requests = counterTotal(decodeResultMetrics(result.metrics), 'http_reqs');
 */
export function counterTotal(data: readonly MetricData[], name: string): number {
  let n = 0;
  for (const d of data) if (d.name === name && d.kind === 'counter') n += d.count;
  return n;
}

/**
 * Percentile `p` (0–100) of trend `name` over all its tag sets, ms; NaN when nothing was
 * recorded. Tag sets are merged histogram by histogram, so this is the percentile of every
 * sample, not a mean of per-tag percentiles.
 *
 * @example
 * const p99 = trendPercentile(data, 'op_duration', 99);
 */
export function trendPercentile(data: readonly MetricData[], name: string, p: number): number {
  const cells = data.filter((d): d is TrendData => d.name === name && d.kind === 'trend');
  if (cells.length === 0) return Number.NaN;
  const trend = cells.length === 1 ? cells[0]! : (combineMetricData(cells, {}) as TrendData);
  return trend.count === 0 ? Number.NaN : trendPercentileMs(trend, p);
}

/**
 * How many samples of rate `name` were true (k6's "passes"), over every tag set: for
 * `op_failed`, the operations that failed.
 *
 * @example
 * const failedOps = rateTrues(data, 'op_failed');
 */
export function rateTrues(data: readonly MetricData[], name: string): number {
  let n = 0;
  for (const d of data) if (d.name === name && d.kind === 'rate') n += d.passes;
  return n;
}
