/**
 * The engine's shared vocabulary: metric names and kinds, the recorder's hot-path handles,
 * and the contract between executors and the workload they drive. Samples flow one way:
 * executors and the workload → recorder → result document → reports and thresholds.
 */

export {
  METRICS,
  type MetricCatalogue,
  type MetricDeclarations,
  type MetricKind,
  type MetricName,
  metricCatalogue,
} from '../../scenarios/model/metrics.js';

import type { MetricName } from '../../scenarios/model/metrics.js';

/** Tags of a sample: op, status class (`2xx`, `4xx`, `429`, `5xx`, `network`), executor, target… */
export type Tags = Readonly<Record<string, string>>;

/** Hot-path handles: obtained once per (metric, tag set), then used without allocation. */
export interface TrendHandle {
  /** Records one value in the metric's unit (ms for durations; sub-ms precision kept to 1 µs). */
  record(value: number): void;
}
export interface CounterHandle {
  add(n?: number): void;
}
export interface RateHandle {
  /**
   * Adds one sample; the rate is the share of `true`s (k6's Rate: non-zero values). So
   * `http_req_failed.add(failed)`, `checks.add(passed)`.
   */
  add(value: boolean): void;
}
export interface GaugeHandle {
  set(value: number): void;
}

/** Where samples go. Implementations aggregate (HDR histograms, counters, per-second series). */
export interface SampleSink {
  trend(name: MetricName, tags: Tags): TrendHandle;
  counter(name: MetricName, tags: Tags): CounterHandle;
  rate(name: MetricName, tags: Tags): RateHandle;
  gauge(name: MetricName, tags: Tags): GaugeHandle;
}

/**
 * Monotonic time for scheduling and latency, in ms with sub-ms precision
 * (`performance.now()` by default). Injected so executors are testable on virtual time.
 */
export interface EngineClock {
  now(): number;
  /** Resolves at `atMs` on this clock (at once if it has passed) or when `signal` aborts. */
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void>;
}

/** What an executor hands the workload for each iteration. */
export interface IterationContext {
  /** The executor's name in the scenario. */
  executor: string;
  /** 1-based VU number within the executor. */
  vu: number;
  /** 0-based iteration number of this VU. */
  vuIteration: number;
  /** 0-based iteration number across the executor. */
  iteration: number;
  /**
   * When the load model meant this iteration to start (engine clock ms). For arrival-rate
   * executors `start + i·period`, fixed in advance; for closed-model executors the moment
   * the VU became free. Latency is measured from here.
   */
  intendedStartMs: number;
  /** Aborted when the executor stops and its graceful period has run out. */
  signal: AbortSignal;
}

/** One iteration of the workload. It records its own samples; a rejection counts as a failed iteration. */
export type IterationFn = (ctx: IterationContext) => Promise<void>;

/**
 * Initialises VU `vu` of `executor` before its first iteration (the workload's per-VU
 * set-up, e.g. creating its session); `null` when that VU needs nothing. Resolves true when
 * it was set up, false when the set-up failed; never rejects: such a VU still runs, and its
 * first iteration does what the set-up could not.
 */
export type VuInitFn = (executor: string, vu: number, signal: AbortSignal) => Promise<boolean> | null;
