import {
  API_PATH,
  type CallRow,
  callRows,
  errorRows,
  type LatencyFigures,
  measuredOf,
  notFoundHint,
  num,
  type OperationRow,
  operationRows,
} from '../../reports/facts.js';
import type { AuditReport } from '../engine/auditor/audit.js';
import { type CustomMetricSummary, type ResultSummary, summarise } from '../engine/result/summarise.js';
import type { ResultMetric, ResultSetup, RunResult, ThresholdOutcome } from '../engine/result/types.js';
import type { CompletionReport } from '../engine/run/completion.js';
import { byCodeUnits } from '../util/by-code-units.js';
import { formatNumber } from '../util/format-number.js';
import { redactUrl } from '../util/url.js';
import { PLAIN_STYLE, type TextStyle } from './terminal-style.js';
import { formatTable, type TableCell } from './text-table.js';

/**
 * `70 demanded, 68 done, 2 interrupted, 0 dropped, 0 never started — short by 2`, then what
 * the executors without a count did (`+ 7,964 done, 2 interrupted by time-based executors`).
 */
function completionLine(c: CompletionReport): string {
  const parts: string[] = [];
  if (c.demanded !== null) {
    const short = c.shortfall > 0 ? ` — short by ${n(c.shortfall)}` : '';
    parts.push(
      `${n(c.demanded)} demanded, ${n(c.completed)} done, ${n(c.interrupted)} interrupted, ` +
        `${n(c.dropped)} dropped, ${n(c.notStarted)} never started${short}`,
    );
  }
  const u = c.untracked ?? { completed: c.completed, interrupted: c.interrupted };
  if (c.demanded === null || u.completed + u.interrupted > 0) {
    const by = c.demanded === null ? '' : ' by time-based executors';
    parts.push(
      `${c.demanded === null ? '' : '+ '}${n(u.completed)} done, ${n(u.interrupted)} interrupted${by}`,
    );
  }
  return parts.join('; ');
}

/**
 * What a threshold measured, with its unit: `13.5 ms` (a trend), `2.5/s` (a counter's rate),
 * `3 requests` (a counter's count), `0.0023, 0.23 %` (a rate), `7 VUs` (a gauge).
 */
function measuredWithUnit(result: RunResult, t: ThresholdOutcome): string {
  const measured = measuredOf(result, t);
  if (t.actual === null) return measured;
  const name = t.metric.replace(/\{.*$/, '');
  const metric = result.metrics[name];
  if (metric === undefined || metric.kind === 'trend' || measured.endsWith('/s')) return measured;
  if (metric.kind === 'rate') return `${measured}, ${num(t.actual * 100)} %`;
  return metric.unit === '' ? measured : `${measured} ${metric.unit}`;
}

/** `✓ op_failed: rate<0.01 (actual 0, 0 %)`; `✗ … (no data: …)`; `– … (n/a: …)`. */
function thresholdLine(result: RunResult, t: ThresholdOutcome, style: TextStyle): string {
  const status = t.status ?? (t.ok ? 'pass' : 'fail');
  const mark = t.ok ? style.good('✓') : style.bad('✗');
  if (status === 'n/a')
    return style.dim(`– ${t.metric}: ${t.expression} (n/a: ${t.note ?? 'not measured by this run'})`);
  if (status === 'no-data') return `${mark} ${t.metric}: ${t.expression} (${t.note ?? 'no data'})`;
  return `${mark} ${t.metric}: ${t.expression} (actual ${measuredWithUnit(result, t)})`;
}

/**
 * Checks listed by name in the summary; the rest are counted in one line (see `checkLines`).
 *
 * @example
 * // 3 000 distinct checks print 20 lines and `… and 2,980 more check(s), all passing`.
 */
export const MAX_CHECK_LINES = 20;

/**
 * k6's checks block: the share that passed, then each check — `✓ name` when every assertion
 * held, else `✗ name  ↳ 96% — ✓ 96 / ✗ 4` — the failing ones first, at most
 * {@link MAX_CHECK_LINES}, then `… and K more check(s)` (the result has them all).
 */
function checkLines(checks: NonNullable<ResultSummary['checks']>): string[] {
  const all = checks.passes + checks.fails;
  const lines = [
    `  checks     ${pct(all > 0 ? checks.passes / all : null)} — ✓ ${n(checks.passes)}  ✗ ${n(checks.fails)}`,
  ];
  const failing = checks.byName.filter((c) => c.fails > 0);
  const ordered = [...failing, ...checks.byName.filter((c) => c.fails === 0)];
  for (const c of ordered.slice(0, MAX_CHECK_LINES)) {
    const name = c.name === '' ? '(empty name)' : c.name;
    if (c.fails === 0) lines.push(`    ✓ ${name}`);
    else {
      const share = Math.floor((c.passes / (c.passes + c.fails)) * 100);
      lines.push(`    ✗ ${name}  ↳ ${share}% — ✓ ${n(c.passes)} / ✗ ${n(c.fails)}`);
    }
  }
  const rest = ordered.length - MAX_CHECK_LINES;
  if (rest > 0) {
    const restFailing = Math.max(0, failing.length - MAX_CHECK_LINES);
    lines.push(
      `    … and ${n(rest)} more check(s), ${restFailing > 0 ? `${n(restFailing)} of them failing` : 'all passing'}`,
    );
  }
  return lines;
}

/** One custom metric: `login_time avg 12.3 ms  p50 …  p95 …  max … (100 samples)`, `logins 12 (1.2/s)`, … */
function customLine(m: CustomMetricSummary): string {
  const label = `  ${m.name.padEnd(10)} `;
  switch (m.kind) {
    case 'trend': {
      const t = m.stats;
      const ms = (v: number) => `${n(v, 1)} ms`;
      return `${label}avg ${ms(t.avg)}  p50 ${ms(t.med)}  p95 ${ms(t['p(95)'])}  p99 ${ms(t['p(99)'])}  max ${ms(t.max)} (${n(t.count)} samples)`;
    }
    case 'counter':
      return `${label}${n(m.stats.count, 3)} (${n(m.stats.rate, 1)}/s)`;
    case 'rate':
      return `${label}${pct(m.stats.rate)} (${n(m.stats.passes)} of ${n(m.stats.passes + m.stats.fails)})`;
    case 'gauge':
      return `${label}${n(m.stats.value, 3)} (min ${n(m.stats.min, 3)}, max ${n(m.stats.max, 3)})`;
  }
}

/** What the run did before its clock started: not in any latency figure. */
function setupLine(setup: ResultSetup): string {
  if (setup.skipped !== null && setup.skipped !== undefined) return setup.skipped;
  const parts = [`${n(setup.vus)} VU(s)`];
  if (setup.initialised > 0 || setup.initFailed > 0) {
    parts[0] += ` (${n(setup.initialised)} session(s)${setup.initFailed > 0 ? `, ${n(setup.initFailed)} failed` : ''})`;
  }
  if (setup.warmRequests > 0) parts.push(`${n(setup.warmRequests)} warm-up reads`);
  if (setup.rateLimited > 0) parts.push(`${n(setup.rateLimited)} × 429`);
  parts.push(`${n(setup.connections)} connection(s) open`);
  return `${n(setup.durationMs / 1_000, 2)} s before the clock started: ${parts.join(', ')} (in no latency figure)`;
}

/** Error reasons listed by name in the summary; the rest are counted in one line. */
const MAX_REASON_LINES = 5;

/** A counter's counts summed per value of one tag (entries without it left out), largest first. */
function countsBy(metric: ResultMetric | undefined, tag: string): [value: string, count: number][] {
  const out = new Map<string, number>();
  if (metric?.kind !== 'counter') return [];
  for (const v of metric.values) {
    const key = v.tags[tag];
    if (key === undefined || v.stats.count === 0) continue;
    out.set(key, (out.get(key) ?? 0) + v.stats.count);
  }
  return [...out.entries()].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]));
}

/** `4xx`, or an exact code not 429 from 400 to 499 (`404`): a client error. */
const isClientError = (status: string) => status === '4xx' || (/^4\d\d$/.test(status) && status !== '429');

/** How a status tag reads: 2xx plain, 429 a warning, anything else (4xx, 5xx, network) bad. */
function markStatus(status: string, text: string, style: TextStyle): string {
  if (status === '2xx' || /^2\d\d$/.test(status)) return text;
  return status === '429' ? style.warn(text) : style.bad(text);
}

/** Longest example message shown in the errors table, characters (the result keeps up to 200). */
const MAX_EXAMPLE_CHARS = 120;

/**
 * The errors table: each reason of the `attempt_errors` counter (the exact status, or the error code
 * when no answer came) with its count, the ops that got it and its example message.
 */
function errorTableLines(rows: ReturnType<typeof errorRows>, style: TextStyle): string[] {
  const shown = rows.slice(0, MAX_REASON_LINES);
  const cells: TableCell[][] = [
    // The label padded as the other lines' labels are, so the reasons start where their values do.
    [{ text: 'errors'.padEnd(9), mark: style.bold }, 'reason', 'count', 'operations', 'example'].map((c) =>
      typeof c === 'string' ? { text: c, mark: style.dim } : c,
    ),
  ];
  for (const r of shown) {
    const ops = r.ops
      .slice(0, 3)
      .map((o) => (r.ops.length === 1 ? o.op : `${o.op} ×${n(o.count)}`))
      .join(', ');
    const example =
      r.example === null
        ? '—'
        : r.example.length > MAX_EXAMPLE_CHARS
          ? `${r.example.slice(0, MAX_EXAMPLE_CHARS - 1)}…`
          : r.example;
    cells.push([
      '',
      { text: r.reason, mark: style.bad },
      `×${n(r.count)}`,
      `${ops}${r.ops.length > 3 ? ', …' : ''}`,
      example,
    ]);
  }
  const lines = formatTable(
    [{ align: 'left' }, { align: 'left' }, { align: 'right' }, { align: 'left' }, { align: 'left' }],
    cells,
    { indent: '  ', gap: 2 },
  );
  const rest = rows.slice(MAX_REASON_LINES);
  if (rest.length > 0) {
    const count = rest.reduce((sum, r) => sum + r.count, 0);
    lines.push(`             … and ${n(rest.length)} more reason(s) ×${n(count)}`);
  }
  return lines;
}

/**
 * `status` line: attempts per status (`http_reqs`'s `status` tag: a class, or a code) with the
 * ops that got each non-2xx; the errors table (the `attempt_errors` counter: exact statuses and error
 * codes, with an example each); what to check when 404s answered a base URL not ending in
 * `/api/public` (from the exact 404 count; from the 4xx class in results older than the
 * `attempt_errors` counter), or when every request was refused; then what scripted iterations threw
 * (`script_errors`'s `error` tag, the reason itself being its example).
 */
function statusLines(result: RunResult, style: TextStyle): string[] {
  const reqs = result.metrics.http_reqs;
  const byStatus = countsBy(reqs, 'status');
  const errors = errorRows(result);
  const hasErrorCounter = result.metrics.attempt_errors?.kind === 'counter';
  const lines: string[] = [];
  if (byStatus.length > 0) {
    const total = byStatus.reduce((sum, [, c]) => sum + c, 0);
    const parts = byStatus.map(([status, count]) => {
      if (status === '2xx' || /^2\d\d$/.test(status) || reqs?.kind !== 'counter')
        return markStatus(status, `${status} ×${n(count)}`, style);
      const ops = countsBy({ ...reqs, values: reqs.values.filter((v) => v.tags.status === status) }, 'op');
      const where = ops
        .slice(0, 3)
        .map(([op, c]) => (ops.length === 1 ? op : `${op} ×${n(c)}`))
        .join(', ');
      const label = markStatus(status, `${status} ×${n(count)}`, style);
      return `${label}${where === '' ? '' : ` (${where}${ops.length > 3 ? ', …' : ''})`}`;
    });
    lines.push(`  status     ${parts.join(', ')}`);
    if (errors.length > 0) lines.push(...errorTableLines(errors, style));
    const clientErrors = byStatus.filter(([s]) => isClientError(s)).reduce((sum, [, c]) => sum + c, 0);
    const notFound = errors.find((r) => r.reason === '404');
    const hint = notFoundHint(result);
    const code = byStatus.some(([s]) => s === '404') ? '404' : '4xx';
    if (hasErrorCounter && notFound !== undefined && notFound.hint !== null) {
      lines.push(style.warn(`  ! 404 ×${n(notFound.count)}: ${notFound.hint}`));
    } else if (!hasErrorCounter && clientErrors > 0 && hint !== null) {
      const what = code === '404' ? hint : `likely 404 ${hint}`;
      lines.push(style.warn(`  ! ${code} ×${n(clientErrors)}: ${what}`));
    } else if (clientErrors > 0 && clientErrors === total) {
      lines.push(
        style.warn(
          `  ! ${code} ×${n(clientErrors)}: every request was refused — check --url (…${API_PATH}) and the API key`,
        ),
      );
    }
  }
  const reasons = countsBy(result.metrics.script_errors, 'error');
  for (const [reason, count] of reasons.slice(0, MAX_REASON_LINES))
    lines.push(`  thrown     ${style.bad(reason)} ×${n(count)}`);
  const rest = reasons.slice(MAX_REASON_LINES);
  if (rest.length > 0) {
    const count = rest.reduce((sum, [, c]) => sum + c, 0);
    lines.push(`  thrown     … and ${n(rest.length)} more reason(s) ×${n(count)}`);
  }
  return lines;
}

/** A latency figure in the operations table: `3.2`, `1,204.5`; `—` when there is none. */
const msCell = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : n(v, v < 10 ? 2 : 1);

/** The sub-rows of an operation: its service, queue and reply latencies, where measured. */
const LATENCY_ROWS: readonly [label: string, pick: (r: OperationRow | CallRow) => LatencyFigures | null][] = [
  ['service', (r) => r.service],
  ['queue', (r) => r.queue],
  ['reply', (r) => r.reply],
];

/**
 * The per-operation table: count, goodput, failed, and `op_duration` p50/p90/p99/p99.9/max
 * (from the intended start), then under each operation its service time
 * (`http_req_duration`), queue time (`queue_time`) and reply latency (`reply_latency`) where
 * it has them; a legend line under it.
 */
function operationLines(
  rows: readonly OperationRow[],
  calls: readonly CallRow[],
  style: TextStyle,
): string[] {
  if (rows.length === 0 && calls.length === 0) return [];
  const head: TableCell[] = [
    'operation',
    'count',
    'goodput',
    'failed',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'max',
  ].map((text) => ({ text, mark: style.dim }));
  const cells: TableCell[][] = [head];
  const latencyRows = (r: OperationRow | CallRow) => {
    for (const [label, pick] of LATENCY_ROWS) {
      const f = pick(r);
      if (f === null) continue;
      cells.push([
        { text: `  ${label}`, mark: style.dim },
        '',
        '',
        '',
        msCell(f.p50),
        msCell(f.p90),
        msCell(f.p99),
        msCell(f.p999),
        msCell(f.max),
      ]);
    }
  };
  for (const r of rows) {
    cells.push([
      { text: r.op, mark: style.bold },
      n(r.count),
      r.goodput === null ? '—' : `${n(r.goodput, 1)}/s`,
      r.failed === 0 ? '0' : { text: n(r.failed), mark: style.bad },
      msCell(r.p50),
      msCell(r.p90),
      msCell(r.p99),
      msCell(r.p999),
      msCell(r.max),
    ]);
    latencyRows(r);
  }
  for (const c of calls) {
    // A client call no op of its own: its times only (its count is in its operations' rows).
    const label = c.op === '(untagged)' ? '(no op tag)' : `${c.op} (calls)`;
    cells.push([{ text: label, mark: style.bold }, '—', '—', '—']);
    latencyRows(c);
  }
  const lines = formatTable(
    [
      { align: 'left' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
      { align: 'right' },
    ],
    cells,
    { indent: '  ' },
  );
  lines.push(
    style.dim(
      '  ms: an operation from its intended start (op_duration); service: on the wire, queue: in the client, per client call of that name (http_req_duration, queue_time); reply: to the assistant reply (reply_latency)',
    ),
  );
  return lines;
}

/** Attempts after the first of their operation (`retries`), every tag summed. */
function retriesOf(result: RunResult): number {
  const metric = result.metrics.retries;
  if (metric?.kind !== 'counter') return 0;
  return metric.values.reduce((sum, v) => sum + v.stats.count, 0);
}

const n = (v: number, digits = 0) => formatNumber(v, digits);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** Options of {@link formatRunSummary}. */
export interface RunSummaryOptions {
  /** Colour marks: {@link PLAIN_STYLE} (the default: files, pipes, CI logs) or `styleFor(stream, env)`. */
  style?: TextStyle;
}

/**
 * The terminal summary printed at the end of `run`: throughput, latency from the intended
 * start, a per-operation table (count, goodput, failed, `op_duration` p50/p90/p99/p99.9/max,
 * and each op's service, queue and reply times), 429s and retries, status codes and the top
 * error reasons with an example each, the audit (or `n/a` and why), a scripted iteration's
 * checks and custom metrics, thresholds with ✓/✗ and the measured value with its unit, and the
 * generator's warnings. Plain text unless `options.style` colours it; the text is the same
 * either way.
 *
 * @example
 * process.stdout.write(formatRunSummary(result, 'reports/out/…/result.json', { style: styleFor(process.stdout, process.env) }));
 */
export function formatRunSummary(
  result: RunResult,
  resultPath: string | null,
  options: RunSummaryOptions = {},
): string {
  const style = options.style ?? PLAIN_STYLE;
  const s = summarise(result);
  const scenario = result.scenario as { name?: string; abortedBy?: string | null } | null;
  const target = result.target as {
    kind?: string;
    baseUrl?: string;
    app?: { url?: string; chatRequests?: Record<string, number> };
  } | null;
  // Target `app`: the load goes to the chat app; the base URL is the Nexus API behind it.
  const where =
    target?.app?.url !== undefined
      ? `${redactUrl(target.app.url)}, in front of ${redactUrl(target.baseUrl ?? '')}`
      : redactUrl(target?.baseUrl ?? '');
  const lines: string[] = [];
  lines.push(
    style.bold(`${scenario?.name ?? 'scenario'} on ${target?.kind ?? '?'}`) +
      ` (${where}) — ${n(s.durationSec, 1)} s` +
      (result.interrupted ? `, interrupted${scenario?.abortedBy ? ` (${scenario.abortedBy})` : ''}` : ''),
  );
  if (result.setup) lines.push(`  setup      ${setupLine(result.setup)}`);
  const counted = target?.app?.chatRequests;
  if (counted !== undefined) {
    const byStatus = Object.entries(counted).map(([status, count]) => `${status} ×${count}`);
    lines.push(
      `  app        counted POST /chat: ${byStatus.length > 0 ? byStatus.join(', ') : 'none'} (its /metrics)`,
    );
  }
  const failed = `failed ${n(s.errors)} (${pct(s.errorRatio)})`;
  lines.push(
    `  ops        ${n(s.ops)} (${n(s.opsPerSec, 1)}/s), goodput ${n(s.goodput, 1)}/s, ${s.errors > 0 ? style.bad(failed) : failed}`,
  );
  if (s.opDurationMs) {
    const d = s.opDurationMs;
    lines.push(
      `  op latency p50 ${n(d.p50, 1)} ms  p95 ${n(d.p95, 1)} ms  p99 ${n(d.p99, 1)} ms  max ${n(d.max, 1)} ms (from intended start)`,
    );
  }
  const limited = `429 ${n(s.rateLimited)} (${pct(s.rateLimitedRatio)})`;
  lines.push(
    `  requests   ${n(s.attempts)}, ${s.rateLimited > 0 ? style.warn(limited) : limited}, retries ${n(retriesOf(result))}, dropped iterations ${n(s.droppedIterations)}`,
  );
  lines.push(...operationLines(operationRows(result), callRows(result), style));
  lines.push(...statusLines(result, style));
  const audit = result.audit as AuditReport | null;
  if (audit) {
    const text =
      `  audit      duplicates ${audit.duplicates.count}, lost ${audit.lost.count}, failed-but-applied ${audit.failedButApplied.count}, ` +
      `Retry-After violations ${audit.retryAfterViolations.count}, amplification ${n(audit.retryAmplification, 2)}` +
      (audit.complete ? '' : ' (ledger incomplete)');
    const bad = audit.duplicates.count + audit.lost.count + audit.retryAfterViolations.count > 0;
    lines.push(bad ? style.bad(text) : text);
  } else {
    const skipped = result.notices?.find((t) => t.startsWith('no audit: '))?.slice('no audit: '.length);
    const why =
      skipped ?? result.thresholds.find((t) => t.status === 'n/a')?.note ?? 'this target has no ledger';
    lines.push(`  audit      ${style.dim(`n/a — ${why}`)}`);
  }
  if (s.checks) lines.push(...checkLines(s.checks));
  for (const m of s.custom) lines.push(customLine(m));
  const completion = result.completion as CompletionReport | null | undefined;
  if (completion) lines.push(`  iterations ${completionLine(completion)}`);
  for (const t of result.thresholds) lines.push(`  ${thresholdLine(result, t, style)}`);
  for (const w of s.warnings) lines.push(style.warn(`  ! ${w}`));
  for (const notice of result.notices ?? []) {
    if (!notice.startsWith('client budgets:')) lines.push(style.warn(`  ! ${notice}`));
  }
  const verdict = result.verdict ?? (result.passed ? 'passed' : 'failed');
  const word = {
    passed: style.bold(style.good('PASSED')),
    failed: style.bold(style.bad('FAILED')),
    interrupted: style.bold(style.warn('INTERRUPTED (partial result, not a pass)')),
  }[verdict];
  lines.push(`${word}${resultPath ? ` — result: ${resultPath}` : ''}`);
  return `${lines.join('\n')}\n`;
}
