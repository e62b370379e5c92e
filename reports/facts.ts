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

/** One operation's row: `op_duration` figures from the intended start, ms. */
export interface OperationRow {
  op: string;
  /** Operations completed (`ops`). */
  count: number;
  /** Of those, failed after all their attempts (`op_failed`). */
  failed: number;
  /** null when the operation has no `op_duration` sample. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
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

/**
 * One row per operation (by the `op` tag of `ops`, `op_failed` and `op_duration`, every other
 * tag combined), sorted by name.
 *
 * @example
 * operationRows(result) // [{ op: 'send_message', count: 120, failed: 0, p50: 3.1, p90: 8, p99: 21.5 }, …]
 */
export function operationRows(result: Pick<RunResult, 'metrics'>): OperationRow[] {
  const data = decodeResultMetrics(result.metrics);
  const ops = byOp(data, 'ops');
  const failed = byOp(data, 'op_failed');
  const durations = byOp(data, 'op_duration');
  const names = [...new Set([...ops.keys(), ...durations.keys()])].sort();
  return names.map((op) => {
    let count = 0;
    for (const d of ops.get(op) ?? []) if (d.kind === 'counter') count += d.count;
    let fails = 0;
    for (const d of failed.get(op) ?? []) if (d.kind === 'rate') fails += d.passes;
    const trends = (durations.get(op) ?? []).filter((d): d is TrendData => d.kind === 'trend');
    const all = trends.length === 0 ? null : (combineMetricData(trends, {}) as TrendData);
    const at = (p: number) => (all === null || all.count === 0 ? null : trendPercentileMs(all, p));
    return { op, count, failed: fails, p50: at(50), p90: at(90), p99: at(99) };
  });
}
