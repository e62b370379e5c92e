/**
 * Scripted iterations: a scenario may run its own function each iteration instead of the op
 * mix, k6-style. This file holds only the shapes a scenario author writes against; the engine
 * (`harness/engine/workload/scripted-workload.ts`) builds the context and runs the function.
 */
import { z } from 'zod';
import type { MetricDeclarations, MetricKind } from './metrics.js';

/**
 * Tags of a custom sample or a check: tag name → value. `executor` (and, on checks, `check`)
 * are set by the harness and win over these.
 *
 * @example
 * const tags: ScriptTags = { step: 'login' };
 */
export type ScriptTags = Readonly<Record<string, string>>;

/** The names in `M` declared with kind `K`; any name when `M` is not known (a plain `MetricDeclarations`). */
type NamesOf<M, K extends MetricKind> = string extends keyof M
  ? string
  : { [N in keyof M]: M[N] extends K ? N : never }[keyof M] & string;

/**
 * A custom trend: values in ms (HDR, 1 µs precision, clamped to 0 … 1 h), like `op_duration`.
 *
 * @example
 * metric.trend('login_time').add(42.5, { step: 'login' });
 */
export interface ScriptTrend {
  add(valueMs: number, tags?: ScriptTags): void;
}
/**
 * A custom counter.
 *
 * @example
 * metric.counter('logins').add(1);
 */
export interface ScriptCounter {
  /** Adds `n` (default 1). */
  add(n?: number, tags?: ScriptTags): void;
}
/**
 * A custom rate: the share of samples that were true (a number counts as true when non-zero, as k6).
 *
 * @example
 * metric.rate('cache_hit').add(hit);
 */
export interface ScriptRate {
  add(value: boolean | number, tags?: ScriptTags): void;
}
/**
 * A custom gauge: the last value set, with its min and max.
 *
 * @example
 * metric.gauge('queue_depth').add(12);
 */
export interface ScriptGauge {
  add(value: number, tags?: ScriptTags): void;
}

/**
 * The custom metrics of a scripted iteration, by the names the scenario declares in `metrics`
 * (a name of another kind, or not declared, is a type error and, at run time, an error of the
 * iteration).
 *
 * @example
 * metric.trend('login_time').add(12);
 */
export interface ScriptMetrics<M = MetricDeclarations> {
  trend(name: NamesOf<M, 'trend'>): ScriptTrend;
  counter(name: NamesOf<M, 'counter'>): ScriptCounter;
  rate(name: NamesOf<M, 'rate'>): ScriptRate;
  gauge(name: NamesOf<M, 'gauge'>): ScriptGauge;
}

/**
 * Named assertions over one value, as k6's `check()` takes them.
 *
 * @example
 * const checks: Checks<{ type: string }> = { 'is the assistant': (m) => m.type === 'assistant' };
 */
export type Checks<V> = Readonly<Record<string, (value: V) => unknown>>;

/**
 * k6's `check()`: runs each named assertion on `value`, records each as one sample of the
 * `checks` rate metric tagged `check:<name>`, and returns true when all held. An assertion
 * that throws or returns a promise (checks are synchronous: await first) counts as failed.
 *
 * @example
 * check(reply, { 'reply arrived': (r) => r.type === 'assistant' });
 */
export type CheckFn = <V>(value: V, checks: Checks<V>, tags?: ScriptTags) => boolean;

/**
 * Types the engine fills in by module augmentation: `client` is the run's client there (the
 * scenario model sits below the client and cannot name it). Scenario authors never touch it.
 *
 * @example
 * declare module './script.js' { interface ScriptTypes { client: ScenarioClient } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the engine's module augmentation.
export interface ScriptTypes {}

/** The run's client as a scripted iteration sees it (the engine's `ScenarioClient`). */
export type ScriptClient = ScriptTypes extends { client: infer C } ? C : unknown;

/**
 * What a scripted iteration receives.
 *
 * @example
 * iteration: async ({ client, check, metric, signal }) => { … }
 */
export interface ScriptContext<M = MetricDeclarations> {
  /**
   * The run's client (rate limiter, retries, hooks): its calls are recorded (`http_reqs`,
   * `op_duration` of the iteration, `rate_limited`, …) and, on the mock, audited. Each call
   * gets an op id and the iteration's `signal` unless given its own.
   */
  client: ScriptClient;
  /** The executor's name in the scenario. */
  executor: string;
  /** 1-based VU number within the executor. */
  vu: number;
  /** 0-based iteration number across the executor. */
  iteration: number;
  /** 0-based iteration number of this VU. */
  vuIteration: number;
  /** Aborted when the executor's graceful stop runs out, or the run is stopped (Ctrl-C). */
  signal: AbortSignal;
  check: CheckFn;
  metric: ScriptMetrics<M>;
  /**
   * Waits `ms` on the engine's clock (k6's `sleep`, in ms). Once `signal` has aborted (or when
   * it aborts during the wait) it rejects with the abort's reason, so a loop that awaits it
   * leaves when the run cuts the iteration.
   */
  sleep(ms: number): Promise<void>;
  /** Seeded random in [0, 1): iteration i of a run with the same seed gets the same numbers. */
  random(): number;
}

/**
 * A scripted iteration: one iteration of the load, written by the scenario's author. A
 * rejection counts as a failed iteration (`op_failed{op:script}`, `script_errors{error:…}`).
 *
 * @example
 * const iteration: ScriptedIteration = async ({ client }) => { await client.createSession('hi'); };
 */
export type ScriptedIteration<M = MetricDeclarations> = (ctx: ScriptContext<M>) => Promise<void> | void;

const iterationMessage =
  'expected a function: a scripted iteration is code, so it needs a .ts, .mts, .js or .mjs scenario file ' +
  '(a JSON scenario describes its load with workload.mix instead)';

/**
 * The `iteration` field: a function, passed through as it is (never called by validation).
 *
 * @example
 * iterationSchema.safeParse(async () => {}).success; // true
 */
export const iterationSchema = z.custom<ScriptedIteration>((v) => typeof v === 'function', {
  error: iterationMessage,
});
