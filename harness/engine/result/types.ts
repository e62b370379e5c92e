/**
 * The result document: one versioned JSON object per run, written under `--out` and read by
 * reports, gates and `mergeResults`. Trend histograms are encoded (HdrHistogram V2, compressed,
 * base64) so results from several processes or machines merge exactly.
 */
import type { GeneratorReport } from '../recorder/recorder.js';
import type { SeriesData } from '../recorder/series.js';

/**
 * The document's `schema` field.
 *
 * @example
 * if (doc.schema !== RESULT_SCHEMA) throw new Error('not a nexus-harness result');
 */
export const RESULT_SCHEMA = 'nexus-harness/result';
/**
 * The document version this code writes and reads.
 *
 * @example
 * if (doc.version !== RESULT_VERSION) throw new Error(`unsupported result version ${doc.version}`);
 */
export const RESULT_VERSION = 1;

/**
 * A trend's figures for one tag set, ms. Percentiles are HdrHistogram's (within 0.1 %),
 * clamped to the exact min and max; `count`, `sum`, `min`, `max`, `avg` are exact to the µs.
 *
 * @example
 * const s: TrendStats = { count: 3, sum: 30, min: 5, max: 15, avg: 10, med: 10,
 *   'p(90)': 15, 'p(95)': 15, 'p(99)': 15, 'p(99.9)': 15 };
 */
export interface TrendStats {
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
  med: number;
  'p(90)': number;
  'p(95)': number;
  'p(99)': number;
  'p(99.9)': number;
}

/**
 * A counter's figures: the total and the total per second of the run.
 *
 * @example
 * const s: CounterStats = { count: 120, rate: 2 }; // over 60 s
 */
export interface CounterStats {
  count: number;
  /** `count` ÷ run duration, per second. */
  rate: number;
}

/**
 * A rate's figures with k6's words: `passes` were added as `true`, `fails` as `false`.
 *
 * @example
 * const s: RateStats = { rate: 0.25, passes: 1, fails: 3 };
 */
export interface RateStats {
  /** passes ÷ (passes + fails); 0 with no samples. */
  rate: number;
  passes: number;
  fails: number;
}

/**
 * A gauge's figures: the last value set and the extremes.
 *
 * @example
 * const s: GaugeStats = { value: 4, min: 1, max: 10 };
 */
export interface GaugeStats {
  value: number;
  min: number;
  max: number;
}

/**
 * One tag set of a trend: figures plus the encoded histogram (values in µs).
 *
 * @example
 * const h = decodeFromCompressedBase64(entry.histogram); // µs
 */
export interface TrendEntry {
  tags: Record<string, string>;
  stats: TrendStats;
  /** `encodeIntoCompressedBase64` of the HdrHistogram, µs, bounds 1 µs … 1 h, 3 digits. */
  histogram: string;
}
/**
 * One tag set of a counter.
 *
 * @example
 * const e: CounterEntry = { tags: { op: 'send' }, stats: { count: 10, rate: 1 } };
 */
export interface CounterEntry {
  tags: Record<string, string>;
  stats: CounterStats;
}
/**
 * One tag set of a rate.
 *
 * @example
 * const e: RateEntry = { tags: {}, stats: { rate: 0.5, passes: 1, fails: 1 } };
 */
export interface RateEntry {
  tags: Record<string, string>;
  stats: RateStats;
}
/**
 * One tag set of a gauge.
 *
 * @example
 * const e: GaugeEntry = { tags: {}, stats: { value: 5, min: 1, max: 8 } };
 */
export interface GaugeEntry {
  tags: Record<string, string>;
  stats: GaugeStats;
}

/**
 * One metric in the result: its kind, unit and one entry per tag set recorded.
 *
 * @example
 * const m: ResultMetric = { kind: 'counter', unit: 'requests',
 *   values: [{ tags: { op: 'send' }, stats: { count: 10, rate: 2 } }] };
 */
export type ResultMetric =
  | { kind: 'trend'; unit: string; values: TrendEntry[] }
  | { kind: 'counter'; unit: string; values: CounterEntry[] }
  | { kind: 'rate'; unit: string; values: RateEntry[] }
  | { kind: 'gauge'; unit: string; values: GaugeEntry[] };

/**
 * Every recorded metric by name.
 *
 * @example
 * result.metrics.op_duration?.values.length; // tag sets recorded
 */
export type ResultMetrics = Record<string, ResultMetric>;

/**
 * The per-interval series (see `SeriesData`).
 *
 * @example
 * const peakOps = Math.max(...result.series.ops);
 */
export type ResultSeries = SeriesData;

/**
 * The generator's health and warnings (see `GeneratorReport`).
 *
 * @example
 * result.generator.warnings.length === 0; // the generator was not the bottleneck
 */
export type ResultGenerator = GeneratorReport;

/** A threshold's verdict. */
export type ThresholdStatus = 'pass' | 'fail' | 'no-data' | 'n/a';

/**
 * One threshold's verdict.
 *
 * @example
 * const t: ThresholdOutcome = { metric: 'http_req_duration{op:send}', expression: 'p(99)<500',
 *   ok: true, status: 'pass', actual: 212.4, abortOnFail: false, abort: false };
 */
export interface ThresholdOutcome {
  /** The threshold's key as written: metric name and optional tag filter. */
  metric: string;
  /** The expression as written, e.g. `p(99)<500`. */
  expression: string;
  ok: boolean;
  /**
   * `pass`/`fail` by the comparison; `no-data` when the metric had nothing to judge (a failure
   * at the end of a run unless `allowNoData`); `n/a` when this run cannot produce the metric
   * (the audit's metrics on a target without a ledger): neither passed nor failed.
   */
  status: ThresholdStatus;
  /** Why, for `no-data` and `n/a`. */
  note?: string;
  /** The aggregated value compared (ms for trends); null when the metric has no data yet. */
  actual: number | null;
  abortOnFail: boolean;
  /** True when this failure should stop the run now: `abortOnFail` and past `delayAbortEval`. */
  abort: boolean;
}

/**
 * The whole result document, version 1.
 *
 * @example
 * const text = JSON.stringify(result, null, 2); // written to reports/out/<run-id>/result.json
 */
export interface RunResult {
  schema: typeof RESULT_SCHEMA;
  version: typeof RESULT_VERSION;
  runId: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  /** ISO 8601, UTC. */
  endedAt: string;
  /** Run duration on the engine's monotonic clock, ms. */
  durationMs: number;
  /** True when the run was stopped early (Ctrl-C, abortOnFail). */
  interrupted: boolean;
  /** The scenario as run (filled by the scenario model). */
  scenario: unknown;
  /** The target (filled by run orchestration). */
  target: unknown;
  metrics: ResultMetrics;
  series: ResultSeries;
  generator: ResultGenerator;
  /** The auditor's findings (filled by the auditor). */
  audit: unknown;
  thresholds: ThresholdOutcome[];
  /** False when any threshold failed, the run was interrupted by a signal, or the caller said it failed. */
  passed: boolean;
  /**
   * `passed`; `failed` (a threshold failed, incl. `completion` and an `abortOnFail` stop);
   * `interrupted` (stopped by a signal: its figures are partial). Absent in older results.
   */
  verdict?: RunVerdict;
  /** Demanded against done, per executor (see `CompletionReport`). */
  completion?: unknown;
  /** Notices for people raised during the run (budgets, held operations, audit gaps). */
  notices?: string[];
  /** What the run did before its clock started (absent in older results). */
  setup?: ResultSetup;
  /** Where and how the run was made (filled by the CLI; absent in older and in-process results). */
  meta?: ResultMeta;
  /**
   * One example message per reason of the `attempt_errors` counter (`'404'`, `'ECONNRESET'`): the first
   * seen, secrets redacted, at most 200 characters. Absent in older results and when nothing
   * failed; a merge keeps the first example of each reason.
   */
  errorExamples?: Record<string, string>;
}

/**
 * Where and how a run was made: enough to tell two runs' environments apart in a report.
 *
 * @example
 * const m: ResultMeta = { harnessVersion: '0.1.0', node: 'v20.20.2', os: 'linux 6.8.0 (x64)',
 *   cpus: 2, commandLine: 'nexus-harness run smoke --seed 3', unsafeIgnoreRateLimits: false, seed: 3 };
 */
export interface ResultMeta {
  /** nexus-harness's version (its package.json). */
  harnessVersion: string;
  /** `process.version`, e.g. `v20.20.2`. */
  node: string;
  /** Platform, release and architecture, e.g. `linux 6.8.0 (x64)`. */
  os: string;
  /** Logical CPUs of the machine that made the load. */
  cpus: number;
  /** The command as typed (re-quoted), its secrets replaced by `[redacted]`. */
  commandLine: string;
  /** Whether `--unsafe-ignore-rate-limits` broke the client on purpose. */
  unsafeIgnoreRateLimits: boolean;
  /** The seed of the op mix and the mock; null when not known (an imported run). */
  seed: number | null;
}

/**
 * The run's setup, before its clock started (t0): VUs set up, the pool's connections opened
 * by warm-up reads. Its time is in no latency metric.
 */
export interface ResultSetup {
  /** From the setup's start to t0, ms. */
  durationMs: number;
  /** VUs prepared before t0 (every executor's). */
  vus: number;
  /** Of those, VUs that needed a set-up (a per-VU session) and got it. */
  initialised: number;
  /** VUs whose set-up failed; their first iteration does it instead (and is charged for it). */
  initFailed: number;
  /** Warm-up reads that succeeded. */
  warmRequests: number;
  /**
   * Attempts the setup put on the wire. The ledger has them and the audit judged their effects
   * (a session made twice is a duplicate), but neither the metrics nor the audit's counts of
   * the load (`requests`, `rateLimited`, retry amplification) include them.
   */
  requests: number;
  /** Of those, answered 429. */
  rateLimited: number;
  /** Connections the client's pool held at t0. */
  connections: number;
  /** Why the setup stopped before it was done (its time bound, the run was stopped); null when done. */
  cutShort: string | null;
  /** Why there was no setup (a target that may limit requests); null when there was one. */
  skipped: string | null;
}

/** The one-word outcome of a run. */
export type RunVerdict = 'passed' | 'failed' | 'interrupted';
