/**
 * The recorder: the engine's {@link SampleSink}. It keeps one cell per (metric, tag set) —
 * HDR histograms for trends, sums for counters, passes/fails for rates, last/min/max for
 * gauges — plus the run's time series and the generator's own health.
 *
 * Handles are created once per (metric, tag set), keyed by the metric name and the canonical
 * string of the sorted tags; asking again returns the same handle. `record`/`add`/`set` then
 * touch only that cell: no allocation, no map lookup, no clock read. Time enters only through
 * `tick()`, which the recorder calls itself every `tickMs` (or the owner calls, in tests).
 *
 * The generator's health is judged over the load window, which the recorder reads off the
 * executors' own samples: at each tick it sums the iterations started (`schedule_lateness`),
 * ended (`iteration_duration`) and dropped (`dropped_iterations`) so far, and the window spans
 * the ticks over which that sum grew (see `createGeneratorHealth`).
 */
import { HarnessError } from '../../util/errors.js';
import {
  type CounterHandle,
  type GaugeHandle,
  type MetricCatalogue,
  type MetricDeclarations,
  type MetricKind,
  type MetricName,
  metricCatalogue,
  type RateHandle,
  type SampleSink,
  type Tags,
  type TrendHandle,
} from '../types.js';
import { CounterCell, GaugeCell, type MetricData, RateCell, TrendCell } from './cells.js';
import {
  createGeneratorHealth,
  type GeneratorHealthOptions,
  type GeneratorHealthReport,
} from './generator-health.js';
import { type GeneratorLimits, generatorWarnings } from './generator-warnings.js';
import { type SeriesData, TimeSeries } from './series.js';
import {
  SeriesErrorsCell,
  SeriesOpsCell,
  SeriesRateLimitedCell,
  SeriesRetriesCell,
  SeriesTrendCell,
} from './series-cells.js';
import { canonicalTagKey, sortedTags } from './tag-key.js';

/**
 * The generator's health plus the warnings drawn from it, as written to the result.
 *
 * @example
 * for (const warning of recorder.generator().warnings) console.warn(warning);
 */
export interface GeneratorReport extends GeneratorHealthReport {
  /** Set when the generator, not the target, was the bottleneck (see `generatorWarnings`). */
  warnings: string[];
}

/**
 * Options of `createRecorder`; every field has a default.
 *
 * @example
 * createRecorder({ clock: engineClock, tickMs: 250, seriesMaxPoints: 7_200 });
 */
export interface RecorderOptions {
  /** Monotonic time source, ms. Default `performance`. Inject a fake one in tests. */
  clock?: { now(): number };
  /**
   * How often the recorder advances the series and samples its health, ms; `false` for no
   * timer (the owner calls `tick()`). Default 100: a sample lands at most 100 ms (plus any
   * event-loop delay) early in the previous interval. The timer is unref'd.
   */
  tickMs?: number | false;
  /** Most series intervals kept before neighbours merge (see `TimeSeries`). Default 3 600. */
  seriesMaxPoints?: number;
  /** Generator health sampling; `false` to skip it (no CPU or event-loop figures). */
  health?: GeneratorHealthOptions | false;
  /** When the generator counts as the bottleneck. */
  limits?: GeneratorLimits;
  /**
   * Custom metrics the recorder accepts besides the built-in ones (a scenario's `metrics`),
   * name → kind. Default none: an unknown name is an error, so a typo never becomes a metric.
   */
  metrics?: MetricDeclarations;
}

/**
 * The engine's sample sink plus what the result needs from it.
 *
 * @example
 * const recorder = createRecorder();
 * const opDuration = recorder.trend('op_duration', { op: 'send_message' });
 * opDuration.record(12.5); // ms
 * recorder.stop();
 * const result = snapshotToResultMetrics(recorder);
 */
export interface Recorder extends SampleSink {
  /** Clock reading at creation, ms: time 0 of the series. */
  readonly startMs: number;
  /** Advances the series to the clock's now and samples generator health (nothing after `stop()`). */
  tick(): void;
  /** Every cell so far, in creation order: live and read-only. */
  metrics(): readonly MetricData[];
  /** Ms since creation (frozen at `stop()`). */
  elapsedMs(): number;
  /** The time series so far. */
  series(): SeriesData;
  /** The generator's health so far and its warnings. */
  generator(): GeneratorReport;
  /** Stops the timer and the health monitor and freezes `elapsedMs`. Samples still count. Idempotent. */
  stop(): void;
}

type Cell = TrendCell | CounterCell | RateCell | GaugeCell;

/** The executors' samples that mark the load: an iteration started, ended, or was dropped. */
const LOAD_METRICS: ReadonlySet<MetricName> = new Set([
  'schedule_lateness',
  'iteration_duration',
  'dropped_iterations',
]);

/** The report of a recorder without health sampling: no figures. */
const noHealth = (): GeneratorHealthReport => ({
  eventLoopDelayMs: null,
  cpu: { meanCores: 0, peakWindowCores: 0, userMs: 0, systemMs: 0 },
  samples: 0,
  loadWindow: null,
  wholeRun: { elapsedMs: 0, eventLoopDelayMs: null, cpu: { meanCores: 0, userMs: 0, systemMs: 0 } },
});

/**
 * Creates a recorder, starting its clock, timer and health monitor.
 *
 * @example
 * // In tests: virtual time, no timer, no health sampling.
 * let now = 0;
 * const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
 * recorder.counter('ops', {}).add();
 * now = 1_000; recorder.tick();
 */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  const clock = options.clock ?? performance;
  const tickMs = options.tickMs ?? 100; // ms
  if (tickMs !== false && !(tickMs > 0)) throw new RangeError(`Invalid recorder tickMs ${tickMs}: need > 0.`);
  const startMs = clock.now();
  const series = new TimeSeries({ startMs, maxPoints: options.seriesMaxPoints });
  const health = options.health === false ? null : createGeneratorHealth(startMs, options.health);
  const catalogue: MetricCatalogue = metricCatalogue(options.metrics);
  const cells = new Map<string, Cell>();
  const ordered: Cell[] = [];
  // The cells of LOAD_METRICS, summed at each tick (one per executor and metric: a handful),
  // and the executors' `vus` gauges: a VU busy with a long iteration is load too, although it
  // starts and ends nothing for a while.
  const loadCells: (TrendCell | CounterCell)[] = [];
  const vusCells: GaugeCell[] = [];
  let endMs: number | null = null;
  const timer = tickMs === false ? null : setInterval(tick, tickMs);
  timer?.unref();

  function tick(): void {
    if (endMs !== null) return;
    const now = clock.now();
    series.advance(now);
    health?.sample(now, loadSamples(), vusBusy());
  }

  function loadSamples(): number {
    let n = 0;
    for (const c of loadCells) n += c.count;
    return n;
  }

  function vusBusy(): boolean {
    for (const c of vusCells) if (c.value > 0) return true;
    return false;
  }

  function cell(name: MetricName, tags: Tags, kind: MetricKind): Cell {
    const definition = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
    if (!definition) {
      throw new HarnessError(
        'NH_METRIC_UNKNOWN',
        `Failed to create a handle: unknown metric '${name}'. Declare it (the scenario's metrics, or METRICS for a built-in one).`,
      );
    }
    if (definition.kind !== kind) {
      throw new HarnessError(
        'NH_METRIC_KIND',
        `Failed to create a ${kind} handle for '${name}': it is a ${definition.kind}. Ask for a ${definition.kind} handle.`,
      );
    }
    const tagKey = canonicalTagKey(tags);
    const key = `${name}${tagKey}`;
    const existing = cells.get(key);
    if (existing) return existing;
    const created = newCell(name, kind, sortedTags(tags), tagKey);
    cells.set(key, created);
    ordered.push(created);
    if (LOAD_METRICS.has(name) && (created.kind === 'trend' || created.kind === 'counter')) {
      loadCells.push(created);
    } else if (name === 'vus' && created.kind === 'gauge') {
      vusCells.push(created);
    }
    return created;
  }

  function newCell(
    name: MetricName,
    kind: MetricKind,
    tags: Readonly<Record<string, string>>,
    key: string,
  ): Cell {
    switch (kind) {
      case 'trend':
        return name === 'op_duration'
          ? new SeriesTrendCell(name, tags, key, series)
          : new TrendCell(name, tags, key);
      case 'counter':
        if (name === 'ops') return new SeriesOpsCell(name, tags, key, series);
        if (name === 'rate_limited') return new SeriesRateLimitedCell(name, tags, key, series);
        if (name === 'retries') return new SeriesRetriesCell(name, tags, key, series);
        return new CounterCell(name, tags, key);
      case 'rate':
        return name === 'op_failed'
          ? new SeriesErrorsCell(name, tags, key, series)
          : new RateCell(name, tags, key);
      case 'gauge':
        return new GaugeCell(name, tags, key);
    }
  }

  function nowOrEnd(): number {
    return endMs ?? clock.now();
  }

  return {
    startMs,
    trend: (name, tags) => cell(name, tags, 'trend') as TrendHandle,
    counter: (name, tags) => cell(name, tags, 'counter') as CounterHandle,
    rate: (name, tags) => cell(name, tags, 'rate') as RateHandle,
    gauge: (name, tags) => cell(name, tags, 'gauge') as GaugeHandle,
    tick,
    metrics: () => ordered,
    elapsedMs: () => nowOrEnd() - startMs,
    series() {
      if (endMs === null) series.advance(clock.now());
      return series.snapshot();
    },
    generator() {
      const report = health ? health.report(nowOrEnd()) : noHealth();
      return { ...report, warnings: generatorWarnings(report, options.limits) };
    },
    stop() {
      if (endMs !== null) return;
      if (timer) clearInterval(timer);
      endMs = clock.now();
      series.advance(endMs);
      health?.sample(endMs, loadSamples(), vusBusy());
      health?.stop();
    },
  };
}
