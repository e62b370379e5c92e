import { describe, expect, it } from 'vitest';
import type { MetricData, TrendData } from '../../harness/engine/recorder/index.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import { combineMetricData } from '../../harness/engine/result/combine.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';
import { runOn } from '../support/run.js';

/**
 * Durations come from a monotonic high-resolution clock: on loopback a GET to the HTTP mock
 * takes well under a millisecond, and a clock of whole milliseconds (`Date.now`) would read
 * it as 0 or 1 ms. The p50 of `http_req_duration` must be a fraction of a millisecond above
 * zero, not a whole number. (`queue_time` comes from the same clock; without a queue it reads
 * a few µs, which is why the p50 of service time is the figure asserted here.)
 */
function trendOf(data: readonly MetricData[], name: string): TrendData {
  const cells = data.filter((d) => d.name === name);
  return (cells.length === 1 ? cells[0] : combineMetricData(cells, {})) as TrendData;
}

describe('sub-millisecond timing on loopback', () => {
  it('http_req_duration reads a fractional p50 above zero', async () => {
    const { result } = await runOn(
      {
        name: 'sub-ms-timing',
        executors: { main: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '2s' } },
        workload: { mix: { getSession: 1 } },
        mock: { limits: false },
      },
      { durationMs: 1_000 },
    );
    const data = decodeResultMetrics(result.metrics);
    const service = trendOf(data, 'http_req_duration');
    expect(service.count).toBeGreaterThan(10);
    const p50 = trendPercentileMs(service, 50);
    expect(p50).toBeGreaterThan(0);
    expect(Number.isInteger(p50), `http_req_duration p50 ${p50} ms is a whole number of ms`).toBe(false);
  });
});
