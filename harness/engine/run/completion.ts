import type { ExecutorSummary } from '../executors/base.js';
import type { SampleSink } from '../types.js';

/** What one executor was asked for and what it did. */
export interface ExecutorCompletion {
  /** Iterations its config demanded; `null` for time-based closed-model executors. */
  demanded: number | null;
  /** Ran to their end (successful or not). */
  completed: number;
  /** Could not start on time (arrival-rate: no free VU). */
  dropped: number;
  /** Cut off: graceful stop ran out, or the run was stopped. */
  interrupted: number;
  /** Demanded but never started (the run ended or was stopped first). */
  notStarted: number;
}

/** Demanded against done, for the run and per executor: the result's `completion`. */
export interface CompletionReport extends ExecutorCompletion {
  /** `demanded − completed` over the executors that demand a count; 0 when none does. */
  shortfall: number;
  byExecutor: Record<string, ExecutorCompletion>;
}

/**
 * Demanded against done, from the executors' summaries. An executor that demands no count
 * (`constant-vus`, `ramping-vus`) adds its completed and interrupted iterations but no demand.
 *
 * @example
 * completionOf({ storm: summary }); // { demanded: 70, completed: 68, interrupted: 2, shortfall: 2, … }
 */
export function completionOf(executors: Readonly<Record<string, ExecutorSummary>>): CompletionReport {
  const byExecutor: Record<string, ExecutorCompletion> = {};
  const total = { demanded: null as number | null, completed: 0, dropped: 0, interrupted: 0, notStarted: 0 };
  let shortfall = 0;
  for (const [name, e] of Object.entries(executors)) {
    const notStarted =
      e.demanded === null ? 0 : Math.max(0, e.demanded - e.iterations - e.dropped - e.interrupted);
    byExecutor[name] = {
      demanded: e.demanded,
      completed: e.iterations,
      dropped: e.dropped,
      interrupted: e.interrupted,
      notStarted,
    };
    total.completed += e.iterations;
    total.dropped += e.dropped;
    total.interrupted += e.interrupted;
    total.notStarted += notStarted;
    if (e.demanded !== null) {
      total.demanded = (total.demanded ?? 0) + e.demanded;
      shortfall += Math.max(0, e.demanded - e.iterations);
    }
  }
  return { ...total, shortfall, byExecutor };
}

/**
 * Records the `completion` rate per executor that demands a count: one pass per completed
 * iteration, one fail per iteration of the shortfall. Thresholds then judge it like any
 * metric (`completion: ['rate>0.99']`).
 *
 * @example
 * recordCompletion(recorder, completionOf(executors));
 */
export function recordCompletion(sink: SampleSink, report: CompletionReport): void {
  for (const [executor, e] of Object.entries(report.byExecutor)) {
    if (e.demanded === null) continue;
    const rate = sink.rate('completion', { executor });
    const done = Math.min(e.completed, e.demanded);
    for (let i = 0; i < done; i++) rate.add(true);
    for (let i = done; i < e.demanded; i++) rate.add(false);
  }
}

/**
 * The threshold every run gets unless its scenario (or `--threshold`) sets one on
 * `completion`: all demanded iterations must run to their end. A run that did less than it
 * was asked has not shown what it was asked to show.
 */
export const DEFAULT_COMPLETION_THRESHOLD: Readonly<Record<string, string[]>> = Object.freeze({
  completion: ['rate==1'],
});

/**
 * `thresholds` plus {@link DEFAULT_COMPLETION_THRESHOLD} when an executor demands a count and
 * no threshold names `completion` already.
 *
 * @example
 * withCompletionThreshold({ op_failed: ['rate<0.01'] }, true); // adds completion: ['rate==1']
 */
export function withCompletionThreshold(
  thresholds: Readonly<Record<string, unknown>>,
  anyDemand: boolean,
): Record<string, unknown> {
  const named = Object.keys(thresholds).some((key) => key.trim().split('{')[0]?.trim() === 'completion');
  return anyDemand && !named ? { ...thresholds, ...DEFAULT_COMPLETION_THRESHOLD } : { ...thresholds };
}
