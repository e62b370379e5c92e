/**
 * The facts every report of a run states, read once from the result document: the verdict,
 * each threshold's status and measured value, the audit (or why there is none) and the
 * per-operation figures. Renderers (Markdown, JUnit) only format these.
 */
import type { AuditReport } from '../harness/engine/auditor/audit-report.js';
import type { MetricData, TrendData } from '../harness/engine/recorder/cells.js';
import { decodeResultMetrics } from '../harness/engine/result/codec.js';
import { combineMetricData } from '../harness/engine/result/combine.js';
import { trendPercentileMs } from '../harness/engine/result/stats.js';
import type {
  RunResult,
  RunVerdict,
  ThresholdOutcome,
  ThresholdStatus,
} from '../harness/engine/result/types.js';
import { parseThresholdKey } from '../harness/engine/thresholds/key.js';
import { byCodeUnits } from '../harness/util/by-code-units.js';

/**
 * The run's one-word outcome; results older than `verdict` have only `passed`.
 *
 * @example
 * verdictOf(result) // 'failed'
 */
export function verdictOf(result: Pick<RunResult, 'verdict' | 'passed'>): RunVerdict {
  return result.verdict ?? (result.passed ? 'passed' : 'failed');
}

/**
 * A threshold's status; results older than `status` have only `ok`.
 *
 * @example
 * thresholdStatusOf({ ok: false } as ThresholdOutcome) // 'fail'
 */
export function thresholdStatusOf(t: Pick<ThresholdOutcome, 'status' | 'ok'>): ThresholdStatus {
  return t.status ?? (t.ok ? 'pass' : 'fail');
}

/** A number as reports print it: at most 3 decimals, no grouping (`1234.5`). */
export const num = (v: number): string =>
  Number.isFinite(v) ? String(Math.round(v * 1_000) / 1_000) : String(v);

/**
 * What a threshold measured, with its unit: `212.4 ms` for a trend's percentiles and
 * averages, `3` for a count, `0.25` for a rate; `no data` when nothing was measured.
 *
 * @example
 * measuredOf(result, { metric: 'op_duration{op:send}', expression: 'p(99)<500', actual: 212.4 }) // '212.4 ms'
 */
export function measuredOf(
  result: Pick<RunResult, 'metrics'>,
  t: Pick<ThresholdOutcome, 'metric' | 'expression' | 'actual'>,
): string {
  if (t.actual === null) return 'no data';
  const key = parseThresholdKey(t.metric);
  const metric = key.ok ? result.metrics[key.key.metric] : undefined;
  const counterRate = metric?.kind === 'counter' && /^\s*rate\b/.test(t.expression);
  if (metric?.kind === 'trend') return `${num(t.actual)} ${metric.unit}`;
  return counterRate ? `${num(t.actual)}/s` : num(t.actual);
}

/** The audit's findings that fail it, and the one that is only reported. */
export interface AuditCheck {
  /** `duplicates`, `lost`, `retry_after_violations`, `failed_but_applied`. */
  name: string;
  /** What it means, for people. */
  describe: string;
  count: number;
  /** Op ids to look up in the ledger. */
  examples: string[];
  /** True when a non-zero count fails the audit (false: reported only). */
  gates: boolean;
}

/** The audit of a run, or why it has none. */
export type AuditFacts =
  | { kind: 'audit'; report: AuditReport; checks: AuditCheck[] }
  | { kind: 'n/a'; why: string };

/**
 * The audit's checks, or why the run has no audit (the target has no ledger, it was skipped).
 *
 * @example
 * const a = auditOf(result);
 * if (a.kind === 'audit') a.checks.filter((c) => c.gates && c.count > 0); // failed checks
 */
export function auditOf(result: Pick<RunResult, 'audit' | 'notices' | 'thresholds'>): AuditFacts {
  const report = result.audit as AuditReport | null | undefined;
  if (report === null || report === undefined || typeof report !== 'object') {
    const skipped = result.notices?.find((t) => t.startsWith('no audit: '))?.slice('no audit: '.length);
    const why =
      skipped ?? result.thresholds.find((t) => t.status === 'n/a')?.note ?? 'this target has no ledger';
    return { kind: 'n/a', why };
  }
  const finding = (f: { count: number; examples: string[] } | undefined) => ({
    count: f?.count ?? 0,
    examples: f?.examples ?? [],
  });
  return {
    kind: 'audit',
    report,
    checks: [
      {
        name: 'duplicates',
        describe: "operations whose effect the server's ledger shows more than once",
        ...finding(report.duplicates),
        gates: true,
      },
      {
        name: 'lost',
        describe: 'operations reported successful whose effect the ledger never shows',
        ...finding(report.lost),
        gates: true,
      },
      {
        name: 'retry_after_violations',
        describe: 'requests sent before the time a 429 had told the client to wait for',
        ...finding(report.retryAfterViolations),
        gates: true,
      },
      {
        name: 'failed_but_applied',
        describe: 'operations reported failed although the ledger shows their effect',
        ...finding(report.failedButApplied),
        gates: false,
      },
    ],
  };
}

/** Percentiles of one latency metric of one operation, ms. */
export interface LatencyFigures {
  /** Samples recorded. */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  /** p(99.9). */
  p999: number;
  max: number;
}

/**
 * One operation's row: how many, how many failed, the goodput, and its latencies, ms —
 * `op_duration` from the intended start (the top-level percentiles), and the time on the wire
 * (`service`, `http_req_duration`), in the client (`queue`, `queue_time`) and to the reply
 * (`reply`, `reply_latency`).
 */
export interface OperationRow {
  op: string;
  /** Operations completed (`ops`). */
  count: number;
  /** Of those, failed after all their attempts (`op_failed`). */
  failed: number;
  /** Successful operations per second of the run; null when the result has no duration. */
  goodput: number | null;
  /** `op_duration`; null when the operation has no sample. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  /** `http_req_duration` of its attempts (every status combined); null when it has none. */
  service: LatencyFigures | null;
  /** `queue_time` of its attempts; null when it has none. */
  queue: LatencyFigures | null;
  /** `reply_latency` (send_message with a wait, chat); null when it has none. */
  reply: LatencyFigures | null;
}

function byOp(data: readonly MetricData[], name: string): Map<string, MetricData[]> {
  const out = new Map<string, MetricData[]>();
  for (const d of data) {
    if (d.name !== name) continue;
    const op = d.tags.op ?? '(untagged)';
    const list = out.get(op);
    if (list) list.push(d);
    else out.set(op, [d]);
  }
  return out;
}

/** The figures of one op's trends combined (every other tag), or null when there is no sample. */
function latencyOf(items: readonly MetricData[] | undefined): LatencyFigures | null {
  const trends = (items ?? []).filter((d): d is TrendData => d.kind === 'trend');
  if (trends.length === 0) return null;
  const all = combineMetricData(trends, {}) as TrendData;
  if (all.count === 0) return null;
  const at = (p: number) => trendPercentileMs(all, p);
  return { count: all.count, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: all.maxUs / 1_000 };
}

/**
 * One row per operation (by the `op` tag of `ops`, `op_failed`, `op_duration`,
 * `http_req_duration`, `queue_time` and `reply_latency`, every other tag combined), sorted by
 * name. The terminal summary, the Markdown and the HTML report all read it.
 *
 * @example
 * operationRows(result) // [{ op: 'send_message', count: 120, failed: 0, goodput: 12, p50: 3.1, …, service: { p50: 1.2, … }, … }, …]
 */
export function operationRows(
  result: Pick<RunResult, 'metrics'> & Partial<Pick<RunResult, 'durationMs'>>,
): OperationRow[] {
  const data = decodeResultMetrics(result.metrics);
  const ops = byOp(data, 'ops');
  const failed = byOp(data, 'op_failed');
  const durations = byOp(data, 'op_duration');
  const service = byOp(data, 'http_req_duration');
  const queue = byOp(data, 'queue_time');
  const reply = byOp(data, 'reply_latency');
  const names = [...new Set([...ops.keys(), ...durations.keys()])].sort();
  const seconds = result.durationMs === undefined ? 0 : result.durationMs / 1_000;
  return names.map((op) => {
    let count = 0;
    for (const d of ops.get(op) ?? []) if (d.kind === 'counter') count += d.count;
    let fails = 0;
    for (const d of failed.get(op) ?? []) if (d.kind === 'rate') fails += d.passes;
    const latency = latencyOf(durations.get(op));
    return {
      op,
      count,
      failed: fails,
      goodput: seconds > 0 ? Math.max(0, count - fails) / seconds : null,
      p50: latency?.p50 ?? null,
      p90: latency?.p90 ?? null,
      p99: latency?.p99 ?? null,
      p999: latency?.p999 ?? null,
      max: latency?.max ?? null,
      service: latencyOf(service.get(op)),
      queue: latencyOf(queue.get(op)),
      reply: latencyOf(reply.get(op)),
    };
  });
}

/** Latencies recorded under an `op` tag that names no operation of the run (see {@link callRows}). */
export interface CallRow {
  /** The client's call (`create_session`, `list_messages`, `wait_for_reply`), or `(untagged)`. */
  op: string;
  service: LatencyFigures | null;
  queue: LatencyFigures | null;
  reply: LatencyFigures | null;
}

/**
 * The latencies whose `op` tag is not one of {@link operationRows}' operations: the client's
 * calls that a workload op makes but that are no op of their own (a `conversation` op's
 * `create_session`, `list_messages`, `wait_for_reply`), and a `reply_latency` recorded without
 * an op (`(untagged)`). Sorted by name.
 *
 * @example
 * callRows(result) // [{ op: 'create_session', service: { p50: 0.9, … }, queue: { … }, reply: null }, …]
 */
export function callRows(result: Pick<RunResult, 'metrics'>): CallRow[] {
  const data = decodeResultMetrics(result.metrics);
  const ops = new Set([...byOp(data, 'ops').keys(), ...byOp(data, 'op_duration').keys()]);
  const service = byOp(data, 'http_req_duration');
  const queue = byOp(data, 'queue_time');
  const reply = byOp(data, 'reply_latency');
  const names = [...new Set([...service.keys(), ...queue.keys(), ...reply.keys()])]
    .filter((op) => !ops.has(op))
    .sort();
  return names
    .map((op) => ({
      op,
      service: latencyOf(service.get(op)),
      queue: latencyOf(queue.get(op)),
      reply: latencyOf(reply.get(op)),
    }))
    .filter((r) => r.service !== null || r.queue !== null || r.reply !== null);
}

/**
 * One reason of the `attempt_errors` counter: how many attempts failed with it, on which operations,
 * an example message, and what to check when the reason says more than itself.
 */
export interface ErrorRow {
  /** The exact status (`'404'`) or the error code (`'ECONNRESET'`). */
  reason: string;
  count: number;
  /** Operations that got it, most first. */
  ops: { op: string; count: number }[];
  /** The first message seen for it (`result.errorExamples`), if the result has one. */
  example: string | null;
  /** What to check, when the reason and the run say (a 404 on a base URL not ending in /api/public). */
  hint: string | null;
}

/** The public API's base path: a base URL whose path does not end with it answers 404 to every op. */
export const API_PATH = '/api/public';

/** The path of the run's base URL, or null when the result names none. */
function basePathOf(result: Pick<RunResult, 'target'>): string | null {
  const baseUrl = (result.target as { baseUrl?: unknown } | null)?.baseUrl;
  if (typeof baseUrl !== 'string') return null;
  try {
    return new URL(baseUrl).pathname;
  } catch {
    return null;
  }
}

/**
 * What a 404 means on this run's base URL: a path not ending in `/api/public` is the likely
 * cause, so say so and what to check; null when the path looks right (or is unknown).
 *
 * @example
 * notFoundHint({ target: { baseUrl: 'http://127.0.0.1:4010' } }) // 'Not Found — the base URL has no path; check --url ends with /api/public'
 */
export function notFoundHint(result: Pick<RunResult, 'target'>): string | null {
  const path = basePathOf(result);
  if (path === null || path.replace(/\/+$/, '').endsWith(API_PATH)) return null;
  const shown = path === '/' ? 'no path' : `path ${path}`;
  return `Not Found — the base URL has ${shown}; check --url ends with ${API_PATH}`;
}

/**
 * The `attempt_errors` counter by reason (every op and tag combined), most frequent first, each with
 * its ops, example and hint. Empty for a run without failures and for results older than the
 * counter.
 *
 * @example
 * errorRows(result) // [{ reason: '404', count: 60, ops: [{ op: 'get_session', count: 60 }], example: 'Failed to …', hint: 'Not Found — …' }]
 */
export function errorRows(result: Pick<RunResult, 'metrics' | 'target' | 'errorExamples'>): ErrorRow[] {
  const metric = result.metrics.attempt_errors;
  if (metric?.kind !== 'counter') return [];
  const byReason = new Map<string, Map<string, number>>();
  for (const v of metric.values) {
    const reason = v.tags.reason;
    if (reason === undefined || v.stats.count === 0) continue;
    const ops = byReason.get(reason) ?? new Map<string, number>();
    const op = v.tags.op ?? '(untagged)';
    ops.set(op, (ops.get(op) ?? 0) + v.stats.count);
    byReason.set(reason, ops);
  }
  const rows = [...byReason].map(([reason, ops]): ErrorRow => {
    const list = [...ops]
      .map(([op, count]) => ({ op, count }))
      .sort((a, b) => b.count - a.count || byCodeUnits(a.op, b.op));
    return {
      reason,
      count: list.reduce((n, o) => n + o.count, 0),
      ops: list,
      example: result.errorExamples?.[reason] ?? null,
      hint: reason === '404' ? notFoundHint(result) : null,
    };
  });
  return rows.sort((a, b) => b.count - a.count || byCodeUnits(a.reason, b.reason));
}
