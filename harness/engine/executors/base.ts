import type { ExecutorType } from '../../../scenarios/model/executors/common.js';
import type { EngineClock, IterationFn, SampleSink, VuInitFn } from '../types.js';

/**
 * How one executor ended.
 *
 * @example
 * const { iterations, dropped, interrupted } = await runConstantVus(config, env);
 */
export interface ExecutorSummary {
  /** k6 executor type. */
  executor: ExecutorType;
  /** Iterations that ran to their end (resolved or rejected), as k6's `iterations`. */
  iterations: number;
  /** Of `iterations`, those whose function rejected. */
  failed: number;
  /** Iterations an arrival-rate executor could not start because no VU was free (`dropped_iterations`). */
  dropped: number;
  /** Iterations whose `signal` was aborted before they ended (graceful stop or ramp-down ran out, or Ctrl-C). */
  interrupted: number;
  /**
   * Iterations the config asks for (see `demandedIterations`): the schedule of an arrival-rate
   * executor, the count of an iteration-bounded one; `null` for `constant-vus`/`ramping-vus`.
   * `demanded − iterations` is the shortfall (dropped, interrupted or never started).
   */
  demanded: number | null;
  /** VUs allocated at the end (`vus_max`). */
  vusMax: number;
  /** Engine clock ms when it started; `null` if the run was aborted before its `startTime`. */
  startedAtMs: number | null;
  /** Engine clock ms when it ended (its last iteration settled or was abandoned). */
  endedAtMs: number;
}

/**
 * What an executor runs with. It emits samples to `sink` (tagged `executor: name`) and never
 * aggregates; `signal` is the run's hard stop (Ctrl-C): in-flight iterations abort at once.
 *
 * @example
 * await runConstantVus(config, { name: 'main', iterationFn, sink, clock: createRealClock() });
 */
export interface ExecutorEnv {
  /** The executor's name in the scenario; the `executor` tag of its samples. */
  name: string;
  iterationFn: IterationFn;
  sink: SampleSink;
  clock: EngineClock;
  signal?: AbortSignal;
  /**
   * Initialises a VU the executor adds during the run (beyond those the run's setup
   * prepared, see `preparedVus`); absent: VUs need no set-up.
   */
  initVu?: VuInitFn;
}
