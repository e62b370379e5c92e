/**
 * Cells that also feed the time series: `op_duration` (per-interval p50/p90/p99), `ops`,
 * `op_failed` (errors), `rate_limited` and `retries`. Subclasses of the plain cells, so the hot path stays
 * one method call on a known shape, plus one typed-array write.
 */
import type { MetricName } from '../types.js';
import { CounterCell, RateCell, TrendCell } from './cells.js';
import type { TimeSeries } from './series.js';

/**
 * `op_duration`: the trend, and the interval's quantile sketch.
 *
 * @example
 * const cell = new SeriesTrendCell('op_duration', {}, '[]', series);
 * cell.record(12.5);
 */
export class SeriesTrendCell extends TrendCell {
  constructor(
    name: MetricName,
    tags: Readonly<Record<string, string>>,
    key: string,
    private readonly series: TimeSeries,
  ) {
    super(name, tags, key);
  }

  // `record` (inherited) validates and converts once; this adds the series on the µs value.
  protected override recordMicros(us: number): void {
    super.recordMicros(us);
    this.series.recordDurationUs(us);
  }
}

/**
 * `ops`: the counter, and the interval's operation count.
 *
 * @example
 * new SeriesOpsCell('ops', {}, '[]', series).add();
 */
export class SeriesOpsCell extends CounterCell {
  constructor(
    name: MetricName,
    tags: Readonly<Record<string, string>>,
    key: string,
    private readonly series: TimeSeries,
  ) {
    super(name, tags, key);
  }

  override add(n = 1): void {
    this.count += n;
    this.series.addOps(n);
  }
}

/**
 * `rate_limited`: the counter, and the interval's 429 count.
 *
 * @example
 * new SeriesRateLimitedCell('rate_limited', {}, '[]', series).add();
 */
export class SeriesRateLimitedCell extends CounterCell {
  constructor(
    name: MetricName,
    tags: Readonly<Record<string, string>>,
    key: string,
    private readonly series: TimeSeries,
  ) {
    super(name, tags, key);
  }

  override add(n = 1): void {
    this.count += n;
    this.series.addRateLimited(n);
  }
}

/**
 * `retries`: the counter, and the interval's retried attempts.
 *
 * @example
 * new SeriesRetriesCell('retries', {}, '[]', series).add();
 */
export class SeriesRetriesCell extends CounterCell {
  constructor(
    name: MetricName,
    tags: Readonly<Record<string, string>>,
    key: string,
    private readonly series: TimeSeries,
  ) {
    super(name, tags, key);
  }

  override add(n = 1): void {
    this.count += n;
    this.series.addRetries(n);
  }
}

/**
 * `op_failed`: the rate, and the interval's error count (a pass — the operation failed — is an error).
 *
 * @example
 * new SeriesErrorsCell('op_failed', {}, '[]', series).add(true);
 */
export class SeriesErrorsCell extends RateCell {
  constructor(
    name: MetricName,
    tags: Readonly<Record<string, string>>,
    key: string,
    private readonly series: TimeSeries,
  ) {
    super(name, tags, key);
  }

  override add(passed: boolean): void {
    if (passed) {
      this.passes++;
      this.series.addError();
    } else {
      this.fails++;
      this.series.addSuccess();
    }
  }
}
