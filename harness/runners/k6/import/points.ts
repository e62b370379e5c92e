/**
 * k6's `--out json` points into our metrics: each `Point` is recorded into the same cells the
 * engine's recorder uses (HDR histograms in µs for trends, sums for counters, passes/fails
 * for rates, last/min/max for gauges), one per (metric, kept tag set), so an imported run has
 * real histograms that merge and judge like our own.
 */
import {
  CounterCell,
  GaugeCell,
  type MetricData,
  RateCell,
  TrendCell,
} from '../../../engine/recorder/cells.js';
import { TimeSeries } from '../../../engine/recorder/series.js';
import { SeriesRateLimitedCell, SeriesTrendCell } from '../../../engine/recorder/series-cells.js';
import { canonicalTagKey, sortedTags } from '../../../engine/recorder/tag-key.js';
import { encodeMetricData } from '../../../engine/result/codec.js';
import type { MetricKind, MetricName } from '../../../engine/types.js';
import { METRICS } from '../../../engine/types.js';
import type { ValidationProblem } from '../../../util/validation.js';
import { keptTags } from './k6-tags.js';
import { emptySeries } from './result-document.js';

/** A k6 metric as its `Metric` line declares it. */
export interface DeclaredMetric {
  /** The name in our result (k6's, or `k6_<name>` when one of ours has that name with another kind). */
  name: string;
  kind: MetricKind;
  /** k6's `contains`: `time` for durations (ms), `data` for bytes, `default` otherwise. */
  contains: string;
  /** Threshold expressions k6 wrote for the metric itself (never a submetric's). */
  thresholds: string[];
  /** Submetric names k6 declared (`http_req_duration{op:get_session}`). */
  submetrics: string[];
}

type Cell = TrendCell | CounterCell | RateCell | GaugeCell;

const KINDS: ReadonlySet<string> = new Set(['trend', 'counter', 'rate', 'gauge']);

/** What {@link PointsReader.finish} gives back. */
export interface PointsSummary {
  metrics: ReturnType<typeof encodeMetricData>;
  series: ReturnType<TimeSeries['snapshot']>;
  /** Time of the first and the last point, ms since the epoch (null without points). */
  firstMs: number | null;
  lastMs: number | null;
  points: number;
  declared: ReadonlyMap<string, DeclaredMetric>;
  /** Names changed because one of ours has the name with another kind: k6's → ours. */
  renamed: ReadonlyMap<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads NDJSON lines one at a time. Problems are collected with their line number (`line 12:
 * data.value: expected a number`) so a bad file is reported in one pass; the caller stops
 * after a handful.
 *
 * @example
 * const reader = new PointsReader();
 * for await (const { line, n } of readLines(file)) reader.line(line, n);
 * if (reader.problems.length) throw new ConfigError(file, reader.problems);
 * const { metrics } = reader.finish();
 */
export class PointsReader {
  readonly problems: ValidationProblem[] = [];
  private readonly declared = new Map<string, DeclaredMetric>();
  private readonly renamed = new Map<string, string>();
  private readonly cells = new Map<string, Cell>();
  private trendCells = 0;
  /** True once the trend tag sets ran out: reading on would only repeat the problem. */
  full = false;

  /**
   * @param maxTrendTagSets Most trend tag sets kept (each is a 94 KB histogram). Default 2 000
   *   (about 190 MB): a tag with one value per request (an id in a custom tag) would otherwise
   *   exhaust memory on a big file; past it the import fails, naming the metric and its tags.
   */
  constructor(private readonly maxTrendTagSets = 2_000) {}
  private series: TimeSeries | null = null;
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  private points = 0;

  /** Reads one line (1-based number `n`); blank lines are skipped. */
  line(text: string, n: number): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      this.problem(n, '', `not JSON (${(cause as Error).message})`);
      return;
    }
    if (!isRecord(value)) {
      this.problem(n, '', 'expected a JSON object');
      return;
    }
    if (value.type === 'Metric') {
      this.metricLine(value, n);
      return;
    }
    if (value.type === 'Point') {
      this.pointLine(value, n);
      return;
    }
    this.problem(n, 'type', `expected "Metric" or "Point" (got ${JSON.stringify(value.type)})`);
  }

  private problem(n: number, field: string, message: string): void {
    this.problems.push({ path: field === '' ? `line ${n}` : `line ${n}: ${field}`, message });
  }

  private metricLine(value: Record<string, unknown>, n: number): void {
    const data = value.data;
    if (!isRecord(data)) {
      this.problem(n, 'data', 'expected an object');
      return;
    }
    const k6Name = typeof data.name === 'string' ? data.name : value.metric;
    if (typeof k6Name !== 'string' || k6Name === '') {
      this.problem(n, 'metric', 'expected a metric name');
      return;
    }
    if (typeof data.type !== 'string' || !KINDS.has(data.type)) {
      this.problem(
        n,
        'data.type',
        `expected trend, counter, rate or gauge (got ${JSON.stringify(data.type)})`,
      );
      return;
    }
    const kind = data.type as MetricKind;
    // One of ours with this name and another kind would make thresholds and merges mean two things.
    const ours = (METRICS as Record<string, { kind: MetricKind } | undefined>)[k6Name];
    const name = ours !== undefined && ours.kind !== kind ? `k6_${k6Name}` : k6Name;
    if (name !== k6Name) this.renamed.set(k6Name, name);
    const thresholds = Array.isArray(data.thresholds)
      ? data.thresholds.filter((t) => typeof t === 'string')
      : [];
    const submetrics = Array.isArray(data.submetrics)
      ? data.submetrics.flatMap((s) => (isRecord(s) && typeof s.name === 'string' ? [s.name] : []))
      : [];
    this.declared.set(k6Name, {
      name,
      kind,
      contains: typeof data.contains === 'string' ? data.contains : 'default',
      thresholds,
      submetrics,
    });
  }

  private pointLine(value: Record<string, unknown>, n: number): void {
    const k6Name = value.metric;
    if (typeof k6Name !== 'string') {
      this.problem(n, 'metric', 'expected a metric name');
      return;
    }
    const metric = this.declared.get(k6Name);
    if (metric === undefined) {
      this.problem(
        n,
        'metric',
        `a point of '${k6Name}' before its "Metric" line (k6 declares every metric first)`,
      );
      return;
    }
    const data = value.data;
    if (!isRecord(data)) {
      this.problem(n, 'data', 'expected an object');
      return;
    }
    if (typeof data.value !== 'number' || !Number.isFinite(data.value)) {
      this.problem(n, 'data.value', `expected a number (got ${JSON.stringify(data.value)})`);
      return;
    }
    const at = typeof data.time === 'string' ? Date.parse(data.time) : Number.NaN;
    if (Number.isNaN(at)) {
      this.problem(n, 'data.time', `expected an RFC 3339 time (got ${JSON.stringify(data.time)})`);
      return;
    }
    if (data.tags !== undefined && data.tags !== null && !isRecord(data.tags)) {
      this.problem(n, 'data.tags', 'expected an object of tag → value');
      return;
    }
    this.advance(at);
    const tags = keptTags(data.tags as Record<string, unknown> | null | undefined);
    const cell = this.cellFor(metric, tags);
    if (cell === null) {
      this.problem(
        n,
        'data.tags',
        `more than ${this.maxTrendTagSets} tag sets of trends (${metric.name} ${JSON.stringify(tags)} is one more): a tag with a value per request? Tag requests with a name (k6's tags.name) instead of ids`,
      );
      this.full = true;
      return;
    }
    this.points++;
    switch (cell.kind) {
      case 'trend':
        cell.record(data.value);
        break;
      case 'counter':
        cell.add(data.value);
        break;
      case 'rate':
        // k6's Rate: a non-zero value is a "pass" (for http_req_failed: a failed request).
        cell.add(data.value !== 0);
        break;
      case 'gauge':
        cell.set(data.value);
        break;
    }
  }

  /** Moves the series to `at` (never back: k6 writes points roughly, not strictly, in time order). */
  private advance(at: number): void {
    if (this.series === null) {
      this.series = new TimeSeries({ startMs: at });
      this.firstMs = at;
    }
    if (this.lastMs === null || at > this.lastMs) {
      this.lastMs = at;
      this.series.advance(at);
    }
  }

  /** The cell of (metric, tags), made on first use; null when one more trend tag set is too many. */
  private cellFor(metric: DeclaredMetric, tags: Record<string, string>): Cell | null {
    const tagKey = canonicalTagKey(tags);
    const key = `${metric.name}${tagKey}`;
    const existing = this.cells.get(key);
    if (existing !== undefined) return existing;
    if (metric.kind === 'trend' && ++this.trendCells > this.maxTrendTagSets) return null;
    const sorted = sortedTags(tags);
    // Our names for our series: op_duration's percentiles and rate_limited per interval.
    const name = metric.name as MetricName;
    const series = this.series!;
    let cell: Cell;
    switch (metric.kind) {
      case 'trend':
        cell =
          name === 'op_duration'
            ? new SeriesTrendCell(name, sorted, tagKey, series)
            : new TrendCell(name, sorted, tagKey);
        break;
      case 'counter':
        cell =
          name === 'rate_limited'
            ? new SeriesRateLimitedCell(name, sorted, tagKey, series)
            : new CounterCell(name, sorted, tagKey);
        break;
      case 'rate':
        cell = new RateCell(name, sorted, tagKey);
        break;
      case 'gauge':
        cell = new GaugeCell(name, sorted, tagKey);
        break;
    }
    this.cells.set(key, cell);
    return cell;
  }

  /**
   * The metrics (counter rates per second of the points' span), the series and what was seen.
   *
   * @example
   * const { metrics, firstMs, lastMs } = reader.finish();
   */
  finish(): PointsSummary {
    const spanSec = this.firstMs === null ? 0 : (this.lastMs! - this.firstMs) / 1_000;
    const data: MetricData[] = [...this.cells.values()];
    return {
      metrics: encodeMetricData(data, spanSec),
      series: this.series === null ? emptySeries() : this.series.snapshot(),
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      points: this.points,
      declared: this.declared,
      renamed: this.renamed,
    };
  }
}
