import type { AuditReport } from '../engine/auditor/audit.js';
import { summarise } from '../engine/result/summarise.js';
import type { RunResult } from '../engine/result/types.js';
import { redactUrl } from '../util/url.js';

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/**
 * The compact terminal summary printed at the end of `run`: throughput, latency from the
 * intended start, 429s, the audit, thresholds and the generator's warnings.
 *
 * @example
 * process.stdout.write(formatRunSummary(result, 'reports/out/…/result.json'));
 */
export function formatRunSummary(result: RunResult, resultPath: string | null): string {
  const s = summarise(result);
  const scenario = result.scenario as { name?: string; abortedBy?: string | null } | null;
  const target = result.target as { kind?: string; baseUrl?: string } | null;
  const lines: string[] = [];
  lines.push(
    `${scenario?.name ?? 'scenario'} on ${target?.kind ?? '?'} (${redactUrl(target?.baseUrl ?? '')}) — ${n(s.durationSec, 1)} s` +
      (result.interrupted ? `, interrupted${scenario?.abortedBy ? ` (${scenario.abortedBy})` : ''}` : ''),
  );
  lines.push(
    `  ops        ${n(s.ops)} (${n(s.opsPerSec, 1)}/s), goodput ${n(s.goodput, 1)}/s, failed ${n(s.errors)} (${pct(s.errorRatio)})`,
  );
  if (s.opDurationMs) {
    const d = s.opDurationMs;
    lines.push(
      `  op latency p50 ${n(d.p50, 1)} ms  p95 ${n(d.p95, 1)} ms  p99 ${n(d.p99, 1)} ms  max ${n(d.max, 1)} ms (from intended start)`,
    );
  }
  lines.push(
    `  requests   ${n(s.attempts)}, 429 ${n(s.rateLimited)} (${pct(s.rateLimitedRatio)}), dropped iterations ${n(s.droppedIterations)}`,
  );
  const audit = result.audit as AuditReport | null;
  if (audit) {
    lines.push(
      `  audit      duplicates ${audit.duplicates.count}, lost ${audit.lost.count}, failed-but-applied ${audit.failedButApplied.count}, ` +
        `Retry-After violations ${audit.retryAfterViolations.count}, amplification ${n(audit.retryAmplification, 2)}` +
        (audit.complete ? '' : ' (ledger incomplete)'),
    );
  } else {
    lines.push('  audit      none (the target has no ledger)');
  }
  for (const t of result.thresholds) {
    const actual = t.actual === null ? 'no data' : n(t.actual, 3);
    lines.push(`  ${t.ok ? '✓' : '✗'} ${t.metric}: ${t.expression} (actual ${actual})`);
  }
  for (const w of s.warnings) lines.push(`  ! ${w}`);
  lines.push(`${result.passed ? 'PASSED' : 'FAILED'}${resultPath ? ` — result: ${resultPath}` : ''}`);
  return `${lines.join('\n')}\n`;
}
