/**
 * The engine's shared vocabulary: metric names and kinds, the recorder's hot-path handles,
 * and the contract between executors and the workload they drive. Samples flow one way:
 * executors and the workload → recorder → result document → reports and thresholds.
 */

/** How a metric aggregates, with k6's names. */
export type MetricKind = 'counter' | 'trend' | 'rate' | 'gauge';

/**
 * Every metric the engine records. k6's names where k6 has the concept; ours for the rest.
 * Trends are in milliseconds unless the name says otherwise.
 */
export const METRICS = {
  // k6-named
  http_reqs: { kind: 'counter', unit: 'requests', help: 'Attempts on the wire' },
  http_req_duration: {
    kind: 'trend',
    unit: 'ms',
    help: 'Service time of one attempt: on the wire until the body is read',
  },
  http_req_failed: {
    kind: 'rate',
    unit: 'ratio',
    help: 'Attempts with a network error or a 5xx (429 is not a failure)',
  },
  iterations: { kind: 'counter', unit: 'iterations', help: 'Iterations started and completed' },
  iteration_duration: { kind: 'trend', unit: 'ms', help: 'One iteration, from its intended start' },
  dropped_iterations: {
    kind: 'counter',
    unit: 'iterations',
    help: 'Iterations an arrival-rate executor could not start on time',
  },
  checks: { kind: 'rate', unit: 'ratio', help: 'Passed checks' },
  vus: { kind: 'gauge', unit: 'VUs', help: 'Active virtual users' },
  vus_max: { kind: 'gauge', unit: 'VUs', help: 'Allocated virtual users' },
  // ours
  schedule_lateness: {
    kind: 'trend',
    unit: 'ms',
    help: "How late the executor started an iteration after its intended start: the generator's own punctuality",
  },
  completion: {
    kind: 'rate',
    unit: 'ratio',
    help: 'Demanded iterations that ran to their end; dropped, interrupted and never-started ones count against it (executors with a count or schedule only)',
  },
  ops: { kind: 'counter', unit: 'operations', help: 'Operations completed (successful or not)' },
  op_failed: { kind: 'rate', unit: 'ratio', help: 'Operations that failed after all their attempts' },
  op_duration: {
    kind: 'trend',
    unit: 'ms',
    help: 'Operation latency from its intended start (coordinated-omission correct)',
  },
  queue_time: {
    kind: 'trend',
    unit: 'ms',
    help: 'Time an attempt waited inside the client (limiter, batcher, pool)',
  },
  reply_latency: {
    kind: 'trend',
    unit: 'ms',
    help: 'From a message being accepted to its assistant reply being seen',
  },
  rate_limited: { kind: 'counter', unit: 'responses', help: '429 responses' },
  retries: { kind: 'counter', unit: 'attempts', help: 'Attempts after the first of an operation' },
  retry_amplification: { kind: 'gauge', unit: 'ratio', help: 'Attempts ÷ operations' },
  retry_after_violations: {
    kind: 'counter',
    unit: 'requests',
    help: 'Requests sent before an announced Retry-After or reset',
  },
  duplicates: {
    kind: 'counter',
    unit: 'operations',
    help: 'Operations whose effect the ledger shows more than once',
  },
  lost: {
    kind: 'counter',
    unit: 'operations',
    help: 'Operations reported successful whose effect the ledger never shows',
  },
} as const satisfies Record<string, { kind: MetricKind; unit: string; help: string }>;

export type MetricName = keyof typeof METRICS;

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
