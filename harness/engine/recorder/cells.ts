/**
 * The recorder's aggregation cells: one per (metric, tag set). Each cell is also the hot-path
 * handle the executors and the workload hold, so `record`/`add`/`set` are a few field updates
 * on a monomorphic object: no allocation, no lookup, no clock read.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { CounterHandle, GaugeHandle, MetricName, RateHandle, TrendHandle } from '../types.js';
import { HDR_COUNTS_LENGTH, HDR_HIGHEST_US, hdrIndexOf, histogramFromCounts, US_PER_MS } from './hdr.js';

/** What every cell says about itself. `tags` are sorted and frozen; `key` is their canonical string. */
interface CellIdentity {
  /** The metric name (a `MetricName` for live cells; any name for decoded results). */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: string;
}

/**
 * A trend's data: HdrHistogram counts (µs) plus exact count, min, max and sum (µs).
 *
 * @example
 * const p99Ms = trendPercentileMs(data, 99); // data: TrendData
 */
export interface TrendData extends CellIdentity {
  readonly kind: 'trend';
  /** Counts of integer µs values in HdrHistogram's layout for the harness bounds (see `hdr.ts`). */
  readonly counts: Uint32Array;
  /** The same counts as an hdr-histogram-js histogram (built on demand; for encoding). */
  readonly histogram: Histogram;
  readonly count: number;
  /** Smallest recorded value, µs (`Infinity` while empty). */
  readonly minUs: number;
  /** Largest recorded value, µs (`-Infinity` while empty). */
  readonly maxUs: number;
  /** Sum of recorded values, µs (integers, so sums are exact below 2^53). */
  readonly sumUs: number;
  /** Values skipped because they were NaN. */
  readonly invalid: number;
}

/**
 * A counter's data: the sum of everything added.
 *
 * @example
 * const total = cells.filter((c) => c.kind === 'counter').reduce((n, c) => n + c.count, 0);
 */
export interface CounterData extends CellIdentity {
  readonly kind: 'counter';
  readonly count: number;
}

/**
 * A rate's data with k6's words: `passes` are samples added as `true`, `fails` as `false`.
 *
 * @example
 * const failedRatio = data.passes / (data.passes + data.fails);
 */
export interface RateData extends CellIdentity {
  readonly kind: 'rate';
  readonly passes: number;
  readonly fails: number;
}

/**
 * A gauge's data: the last value set, the extremes, and how many times it was set.
 *
 * @example
 * if (data.sets > 0) console.log(`vus now ${data.value}, peak ${data.max}`);
 */
export interface GaugeData extends CellIdentity {
  readonly kind: 'gauge';
  readonly value: number;
  /** Smallest value set (`Infinity` while never set). */
  readonly min: number;
  /** Largest value set (`-Infinity` while never set). */
  readonly max: number;
  readonly sets: number;
}

/**
 * One (metric, tag set)'s aggregated data, read-only. The recorder's cells and decoded
 * result entries both have this shape, so thresholds and merges work on either.
 *
 * @example
 * function total(data: readonly MetricData[]) {
 *   return data.reduce((n, d) => n + (d.kind === 'counter' ? d.count : 0), 0);
 * }
 */
export type MetricData = TrendData | CounterData | RateData | GaugeData;

/**
 * A trend cell and its handle. `record(ms)` rounds to the µs, clamps to [0 µs, 1 h] and skips
 * NaN (counted in `invalid`).
 *
 * The hot path counts into a `Uint32Array` laid out exactly as HdrHistogram's counts for the
 * harness bounds, with the index computed by integer operations (`hdrIndexOf`): about a
 * tenth of the cost of hdr-histogram-js's `recordValue`, which uses `Math.log2` and
 * `Math.pow`. `histogram` builds the hdr-histogram-js histogram from those counts on demand
 * and keeps it until more values arrive.
 *
 * @example
 * const cell = new TrendCell('op_duration', { op: 'send' }, '[["op","send"]]');
 * cell.record(12.5);
 * cell.count; // 1
 * cell.histogram.getValueAtPercentile(99); // 12 503 (µs, the top of its 0.1 % bucket)
 */
export class TrendCell implements TrendHandle, TrendData {
  readonly kind = 'trend' as const;
  /** Counts in HdrHistogram's layout (harness bounds). */
  readonly counts = new Uint32Array(HDR_COUNTS_LENGTH);
  count = 0;
  minUs = Number.POSITIVE_INFINITY;
  maxUs = Number.NEGATIVE_INFINITY;
  sumUs = 0;
  invalid = 0;
  private built: Histogram | null = null;
  private builtCount = -1;

  constructor(
    readonly name: MetricName,
    readonly tags: Readonly<Record<string, string>>,
    readonly key: string,
  ) {}

  /** The counts as an hdr-histogram-js histogram (µs), rebuilt only when values were added since. */
  get histogram(): Histogram {
    if (this.built === null || this.builtCount !== this.count) {
      this.built = histogramFromCounts(this.counts);
      this.builtCount = this.count;
    }
    return this.built;
  }

  record(value: number): void {
    if (Number.isNaN(value)) {
      this.invalid++;
      return;
    }
    let us = Math.round(value * US_PER_MS);
    if (us < 0) us = 0;
    else if (us > HDR_HIGHEST_US) us = HDR_HIGHEST_US;
    this.recordMicros(us);
  }

  /** Records an integer µs value already in [0, {@link HDR_HIGHEST_US}]. */
  protected recordMicros(us: number): void {
    this.counts[hdrIndexOf(us)]!++;
    this.count++;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }
}

/**
 * Trend data that is not a live cell: the combination of several tag sets or processes, or a
 * decoded result entry. Immutable; its histogram is built on first use.
 *
 * @example
 * const all = new TrendSnapshot({ name: 'op_duration', tags: {}, key: '[]', counts,
 *   count: 10, minUs: 900, maxUs: 12_000, sumUs: 40_000, invalid: 0 });
 */
export class TrendSnapshot implements TrendData {
  readonly kind = 'trend' as const;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly key: string;
  readonly counts: Uint32Array;
  readonly count: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly sumUs: number;
  readonly invalid: number;
  private built: Histogram | null = null;

  constructor(data: Omit<TrendData, 'kind' | 'histogram'>) {
    this.name = data.name;
    this.tags = data.tags;
    this.key = data.key;
    this.counts = data.counts;
    this.count = data.count;
    this.minUs = data.minUs;
    this.maxUs = data.maxUs;
    this.sumUs = data.sumUs;
    this.invalid = data.invalid;
  }

  get histogram(): Histogram {
    if (this.built === null) this.built = histogramFromCounts(this.counts);
    return this.built;
  }
}

/**
 * A counter cell and its handle. `add(n)` adds `n` (default 1).
 *
 * @example
 * const cell = new CounterCell('http_reqs', {}, '[]');
 * cell.add(); cell.add(2); // cell.count === 3
 */
export class CounterCell implements CounterHandle, CounterData {
  readonly kind = 'counter' as const;
  count = 0;

  constructor(
    readonly name: MetricName,
    readonly tags: Readonly<Record<string, string>>,
    readonly key: string,
  ) {}

  add(n = 1): void {
    this.count += n;
  }
}

/**
 * A rate cell and its handle. `add(true)` counts a pass (the condition held), `add(false)` a fail.
 *
 * @example
 * const cell = new RateCell('op_failed', {}, '[]');
 * cell.add(false); cell.add(true); // passes 1, fails 1
 */
export class RateCell implements RateHandle, RateData {
  readonly kind = 'rate' as const;
  passes = 0;
  fails = 0;

  constructor(
    readonly name: MetricName,
    readonly tags: Readonly<Record<string, string>>,
    readonly key: string,
  ) {}

  add(passed: boolean): void {
    if (passed) this.passes++;
    else this.fails++;
  }
}

/**
 * A gauge cell and its handle. `set(v)` keeps `v` as the value and tracks min and max.
 *
 * @example
 * const cell = new GaugeCell('vus', {}, '[]');
 * cell.set(10); cell.set(4); // value 4, max 10
 */
export class GaugeCell implements GaugeHandle, GaugeData {
  readonly kind = 'gauge' as const;
  value = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  sets = 0;

  constructor(
    readonly name: MetricName,
    readonly tags: Readonly<Record<string, string>>,
    readonly key: string,
  ) {}

  set(value: number): void {
    this.value = value;
    this.sets++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}
