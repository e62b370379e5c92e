/**
 * The parts of results that are accounts rather than metrics, merged for `mergeResults`: the
 * scenario (and the segments a split run was made of), demanded against done (`completion`),
 * the executors' summaries and the setup. Each sums what adds up across processes.
 */
import { ERROR_CODES, HarnessError } from '../../util/errors.js';
import type { AuditReport } from '../auditor/audit.js';
import type { ExecutorSummary } from '../executors/base.js';
import type { CompletionReport, ExecutorCompletion } from '../run/completion.js';
import type { ResultMetrics, ResultSetup, RunResult } from './types.js';

/** What `runScenario` stores in `result.scenario` (the parts a merge reads). */
interface StoredScenario {
  name?: unknown;
  executors?: Record<string, ExecutorSummary>;
  abortedBy?: string | null;
  /** A segment's result: which one (`run --segment`, `--segments`, `--workers`). */
  segment?: { index: number; count: number };
  /** A segment's result: the scenario it is a part of. */
  whole?: unknown;
  resolved?: unknown;
}

const scenarioOf = (r: RunResult): StoredScenario =>
  typeof r.scenario === 'object' && r.scenario !== null ? (r.scenario as StoredScenario) : {};

const fail = (message: string): never => {
  throw new HarnessError(ERROR_CODES.resultMerge, `Failed to merge results: ${message}`);
};

/**
 * Refuses results that are not parts of one run: of different scenarios (named), or segments
 * that do not make a whole — mixed with whole runs, of different counts, one segment twice, or
 * some missing (the merged result would demand less than the scenario does, and pass for it).
 *
 * @example
 * checkMergeable([seg0, seg1, seg2]); // throws when seg2 is segment 1/3 again
 */
export function checkMergeable(all: readonly RunResult[]): void {
  const names = [...new Set(all.map((r) => String(scenarioOf(r).name ?? '(unnamed)')))];
  if (names.length > 1) {
    const which = all.map((r) => `run ${r.runId}: ${String(scenarioOf(r).name ?? '(unnamed)')}`).join(', ');
    fail(`they are runs of different scenarios (${which}). Merge the parts of one run only.`);
  }
  const segments = all.map((r) => scenarioOf(r).segment);
  const parts = segments.filter((s) => s !== undefined);
  if (parts.length === 0) return;
  if (parts.length < all.length) {
    const whole = all.filter((_, i) => segments[i] === undefined).map((r) => r.runId);
    fail(
      `${parts.length} of the ${all.length} results are segments of a split run and ${whole.length} (run ${whole.join(', ')}) a whole run: merge the segments of one run only.`,
    );
  }
  const counts = [...new Set(parts.map((s) => s.count))];
  if (counts.length > 1)
    fail(`the segments are of runs split ${counts.join(' and ')} ways: merge one run's segments.`);
  const count = counts[0]!;
  const seen = new Map<number, string>();
  all.forEach((r, i) => {
    const index = segments[i]!.index;
    const before = seen.get(index);
    if (before !== undefined) {
      fail(`segment ${index}/${count} is there twice (runs ${before} and ${r.runId}): each segment once.`);
    }
    seen.set(index, r.runId);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    fail(
      `segment(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: all ${count} are needed, or the merged result would demand less than the scenario does.`,
    );
  }
}

function mergeSummaries(all: readonly ExecutorSummary[]): ExecutorSummary {
  const sum = (pick: (s: ExecutorSummary) => number) => all.reduce((n, s) => n + pick(s), 0);
  const demands = all.map((s) => s.demanded);
  const starts = all.map((s) => s.startedAtMs).filter((s) => s !== null);
  return {
    executor: all[0]!.executor,
    iterations: sum((s) => s.iterations),
    failed: sum((s) => s.failed),
    dropped: sum((s) => s.dropped),
    interrupted: sum((s) => s.interrupted),
    demanded: demands.every((d) => d === null) ? null : demands.reduce<number>((n, d) => n + (d ?? 0), 0),
    vusMax: sum((s) => s.vusMax),
    // Each process's own engine clock: roughly aligned (each starts at its t0), not exactly.
    startedAtMs: starts.length === 0 ? null : Math.min(...starts),
    endedAtMs: Math.max(...all.map((s) => s.endedAtMs)),
  };
}

/**
 * The merged `scenario`: the first result's, with the executors' summaries summed by name; for
 * segments, the whole scenario as `resolved` (not segment 0's share) and `segments: N` instead
 * of `segment`/`whole`.
 *
 * @example
 * mergeScenario([seg0, seg1]).resolved; // the scenario both are parts of
 */
export function mergeScenario(all: readonly RunResult[]): unknown {
  const first = scenarioOf(all[0]!);
  if (all.length === 1 || typeof all[0]!.scenario !== 'object' || all[0]!.scenario === null) {
    return all[0]!.scenario;
  }
  const byName = new Map<string, ExecutorSummary[]>();
  for (const r of all) {
    for (const [name, summary] of Object.entries(scenarioOf(r).executors ?? {})) {
      const group = byName.get(name);
      if (group) group.push(summary);
      else byName.set(name, [summary]);
    }
  }
  const { segment, whole, ...rest } = first;
  return {
    ...rest,
    ...(whole !== undefined && { resolved: whole }),
    ...(segment !== undefined && { segments: segment.count }),
    executors: Object.fromEntries([...byName].map(([name, group]) => [name, mergeSummaries(group)])),
    abortedBy: all.map((r) => scenarioOf(r).abortedBy ?? null).find((a) => a !== null) ?? null,
  };
}

const isCompletion = (c: unknown): c is CompletionReport =>
  typeof c === 'object' && c !== null && 'byExecutor' in c && 'untracked' in c;

/**
 * Demanded against done over all the results, summed per executor and in total; `null` when
 * none has a completion report.
 *
 * @example
 * mergeCompletion([seg0.completion, seg1.completion])?.demanded; // the whole schedule
 */
export function mergeCompletion(all: readonly unknown[]): CompletionReport | null {
  const reports = all.filter(isCompletion);
  if (reports.length === 0) return null;
  const byExecutor: Record<string, ExecutorCompletion> = {};
  for (const report of reports) {
    for (const [name, e] of Object.entries(report.byExecutor)) {
      const into = byExecutor[name];
      byExecutor[name] =
        into === undefined
          ? { ...e }
          : {
              demanded:
                into.demanded === null && e.demanded === null
                  ? null
                  : (into.demanded ?? 0) + (e.demanded ?? 0),
              completed: into.completed + e.completed,
              dropped: into.dropped + e.dropped,
              interrupted: into.interrupted + e.interrupted,
              notStarted: into.notStarted + e.notStarted,
            };
    }
  }
  const sum = (pick: (r: CompletionReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const demanded = reports.every((r) => r.demanded === null) ? null : sum((r) => r.demanded ?? 0);
  return {
    demanded,
    completed: sum((r) => r.completed),
    dropped: sum((r) => r.dropped),
    interrupted: sum((r) => r.interrupted),
    notStarted: sum((r) => r.notStarted),
    shortfall: sum((r) => r.shortfall),
    untracked: {
      completed: sum((r) => r.untracked.completed),
      interrupted: sum((r) => r.untracked.interrupted),
    },
    byExecutor,
  };
}

/**
 * The setups of several processes: counts summed, the longest setup's duration, the first
 * reason it was cut short or skipped; undefined when none had one.
 *
 * @example
 * mergeSetup([a.setup, b.setup])?.vus; // both processes' prepared VUs
 */
export function mergeSetup(all: readonly (ResultSetup | undefined)[]): ResultSetup | undefined {
  const setups = all.filter((s): s is ResultSetup => s !== undefined);
  if (setups.length === 0) return undefined;
  const sum = (pick: (s: ResultSetup) => number) => setups.reduce((n, s) => n + pick(s), 0);
  return {
    durationMs: Math.max(...setups.map((s) => s.durationMs)),
    vus: sum((s) => s.vus),
    initialised: sum((s) => s.initialised),
    initFailed: sum((s) => s.initFailed),
    warmRequests: sum((s) => s.warmRequests),
    requests: sum((s) => s.requests),
    rateLimited: sum((s) => s.rateLimited),
    connections: sum((s) => s.connections),
    cutShort: setups.find((s) => s.cutShort !== null)?.cutShort ?? null,
    skipped: setups.find((s) => s.skipped !== null)?.skipped ?? null,
  };
}

/**
 * `metrics` with the `retry_amplification` gauge set to the merged audit's ratio (all requests
 * ÷ all client operations). Each part recorded its own ratio, and merging gauges keeps the
 * largest, which a threshold on it would judge instead of the merged run's figure.
 *
 * @example
 * merged.metrics = withAuditGauges(merged.metrics, merged.audit as AuditReport | null);
 */
export function withAuditGauges(metrics: ResultMetrics, audit: AuditReport | null): ResultMetrics {
  const gauge = metrics.retry_amplification;
  if (audit === null || gauge === undefined || gauge.kind !== 'gauge') return metrics;
  const value = audit.retryAmplification;
  return {
    ...metrics,
    retry_amplification: {
      ...gauge,
      values: gauge.values.map((v) => ({ ...v, stats: { value, min: value, max: value } })),
    },
  };
}
