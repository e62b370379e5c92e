/**
 * The run as compact GitHub-flavoured Markdown: a pull-request comment or a job's step summary
 * (`$GITHUB_STEP_SUMMARY`). Verdict first, then operations, 429s, the audit and thresholds.
 */
import { summarise } from '../harness/engine/result/summarise.js';
import type { RunResult } from '../harness/engine/result/types.js';
import { redactUrl } from '../harness/util/url.js';
import { auditOf, errorRows, measuredOf, num, operationRows, thresholdStatusOf, verdictOf } from './facts.js';

/** C0 controls and DEL: a newline would end a table row. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this removes.
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/** Text for a table cell or a line: one line, no pipe that splits a cell, no HTML. */
function cell(text: string): string {
  return text
    .replace(CONTROLS, ' ')
    .replaceAll('\\', '\\\\')
    .replaceAll('|', '\\|')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('`', "'");
}

/** Text as a code span in a table cell: literal inside (no entities), one line, pipes escaped. */
function code(text: string): string {
  return `\`${text.replace(CONTROLS, ' ').replaceAll('`', "'").replaceAll('|', '\\|')}\``;
}

const ms = (v: number | null) => (v === null ? '—' : `${num(v)} ms`);

const HEADLINE = {
  passed: '✅ **PASSED**',
  failed: '❌ **FAILED**',
  interrupted: '⚠️ **INTERRUPTED** (partial result, not a pass)',
} as const;

/**
 * The Markdown summary of `result`: verdict, scenario and target, a per-operation table of
 * count / failed / p50 / p90 / p99 of `op_duration`, 429s, the error reasons (the `attempt_errors`
 * counter, with an example each and what to check), the audit (or `n/a` and why) and every
 * threshold with ✓/✗ and its measured value.
 *
 * @example
 * await appendFile(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(result));
 */
export function renderMarkdown(result: RunResult): string {
  const s = summarise(result);
  const scenario = result.scenario as { name?: unknown } | null;
  const target = result.target as { kind?: unknown; baseUrl?: unknown } | null;
  const name = typeof scenario?.name === 'string' ? scenario.name : 'scenario';
  const where = [
    typeof target?.kind === 'string' ? target.kind : null,
    typeof target?.baseUrl === 'string' ? redactUrl(target.baseUrl) : null,
  ].filter((x) => x !== null);
  const lines: string[] = [];
  lines.push(
    `### nexus-harness: ${code(name)} — ${HEADLINE[verdictOf(result)]}`,
    '',
    `${where.length > 0 ? `on ${cell(where.join(' '))}, ` : ''}${num(s.durationSec)} s, ` +
      `${s.ops} ops (${num(s.opsPerSec)}/s), goodput ${num(s.goodput)}/s, failed ${s.errors}` +
      ` · run ${code(result.runId)}`,
    '',
  );
  const rows = operationRows(result);
  if (rows.length > 0) {
    lines.push('| operation | count | failed | p50 | p90 | p99 |', '|---|--:|--:|--:|--:|--:|');
    for (const r of rows)
      lines.push(`| ${cell(r.op)} | ${r.count} | ${r.failed} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} |`);
    lines.push('', '<sub>op_duration, from the intended start (coordinated-omission correct)</sub>', '');
  }
  const ratio = s.rateLimitedRatio === null ? '' : ` (${num(s.rateLimitedRatio * 100)} % of requests)`;
  lines.push(`**429s:** ${s.rateLimited} of ${s.attempts} requests${ratio}`, '');
  const errors = errorRows(result);
  if (errors.length > 0) {
    lines.push('| error | count | operations | example |', '|---|--:|---|---|');
    for (const e of errors) {
      const ops = e.ops.map((o) => (e.ops.length === 1 ? o.op : `${o.op} ×${o.count}`)).join(', ');
      lines.push(`| ${code(e.reason)} | ${e.count} | ${cell(ops)} | ${cell(e.example ?? '—')} |`);
    }
    lines.push('');
    for (const e of errors)
      if (e.hint !== null) lines.push(`> **${cell(e.reason)} ×${e.count}:** ${cell(e.hint)}`, '');
  }
  const audit = auditOf(result);
  if (audit.kind === 'n/a') lines.push(`**Audit:** n/a — ${cell(audit.why)}`, '');
  else {
    const parts = audit.checks.map(
      (c) => `${c.gates ? (c.count === 0 ? '✓' : '✗') : '·'} ${c.name} ${c.count}`,
    );
    const incomplete = audit.report.complete ? '' : ' (ledger incomplete: findings are lower bounds)';
    lines.push(
      `**Audit:** ${audit.report.passed ? 'passed' : 'failed'} — ${parts.join(', ')}, ` +
        `retry amplification ${num(audit.report.retryAmplification)}${incomplete}`,
      '',
    );
  }
  if (result.thresholds.length > 0) {
    lines.push('| | threshold | measured |', '|---|---|--:|');
    for (const t of result.thresholds) {
      const status = thresholdStatusOf(t);
      const mark = status === 'n/a' ? '–' : t.ok ? '✓' : '✗';
      const measured =
        status === 'n/a' || status === 'no-data'
          ? `${status}${t.note ? `: ${t.note}` : ''}`
          : measuredOf(result, t);
      lines.push(`| ${mark} | ${code(`${t.metric}: ${t.expression}`)} | ${cell(measured)} |`);
    }
    lines.push('');
  } else lines.push('No thresholds.', '');
  return `${lines.join('\n')}\n`;
}
