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

/**
 * Demanded against done for the run: the totals are over the executors that demand a count
 * (so `completed + dropped + interrupted + notStarted = demanded`); what the time-based
 * closed-model executors did is apart, in `untracked`. Per executor in `byExecutor`.
 */
export interface CompletionReport {
  /** Iterations demanded by the counting executors; `null` when none demands a count. */
  demanded: number | null;
  completed: number;
  dropped: number;
  interrupted: number;
  notStarted: number;
  /** `demanded − completed`; 0 when nothing is demanded. */
  shortfall: number;
  /** Iterations of `constant-vus`/`ramping-vus` executors, which promise a length, not a count. */
  untracked: { completed: number; interrupted: number };
  byExecutor: Record<string, ExecutorCompletion>;
}

/**
 * Demanded against done, from the executors' summaries. An iteration that ran to its end
 * counts as done even if it failed (`op_failed` judges failures); dropped, interrupted and
 * never-started ones make the shortfall.
 *
 * @example
 * completionOf({ storm: summary }); // { demanded: 70, completed: 68, interrupted: 2, shortfall: 2, … }
 */
export function completionOf(executors: Readonly<Record<string, ExecutorSummary>>): CompletionReport {
  const byExecutor: Record<string, ExecutorCompletion> = {};
  const report: CompletionReport = {
    demanded: null,
    completed: 0,
    dropped: 0,
    interrupted: 0,
    notStarted: 0,
    shortfall: 0,
    untracked: { completed: 0, interrupted: 0 },
    byExecutor,
  };
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
    if (e.demanded === null) {
      report.untracked.completed += e.iterations;
      report.untracked.interrupted += e.interrupted;
      continue;
    }
    report.demanded = (report.demanded ?? 0) + e.demanded;
    report.completed += e.iterations;
    report.dropped += e.dropped;
    report.interrupted += e.interrupted;
    report.notStarted += notStarted;
    report.shortfall += Math.max(0, e.demanded - e.iterations);
  }
  return report;
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
 * The thresholds every run gets unless its scenario (or `--threshold`) sets its own on the
 * same metric:
 * - `completion: rate==1` (when an executor demands a count): all demanded iterations must
 *   run to their end — a run that did less than it was asked has not shown what it was to show;
 * - `op_failed: rate<1`: at least one operation must succeed — a run in which none did (no
 *   data, or all failed) proves nothing, whatever else it measured.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  completion: Object.freeze(['rate==1']),
  op_failed: Object.freeze(['rate<1']),
});

/**
 * `thresholds` plus each of {@link DEFAULT_THRESHOLDS} whose metric no threshold names yet
 * (`completion` only when an executor demands a count).
 *
 * @example
 * withDefaultThresholds({ op_failed: ['rate<0.01'] }, true); // adds completion: ['rate==1']
 */
export function withDefaultThresholds(
  thresholds: Readonly<Record<string, unknown>>,
  anyDemand: boolean,
): Record<string, unknown> {
  const named = new Set(Object.keys(thresholds).map((key) => key.trim().split('{')[0]?.trim()));
  const out: Record<string, unknown> = { ...thresholds };
  for (const [metric, expressions] of Object.entries(DEFAULT_THRESHOLDS)) {
    if (named.has(metric) || (metric === 'completion' && !anyDemand)) continue;
    out[metric] = [...expressions];
  }
  return out;
}
