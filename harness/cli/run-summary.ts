import type { AuditReport } from '../engine/auditor/audit.js';
import { type CustomMetricSummary, type ResultSummary, summarise } from '../engine/result/summarise.js';
import type { ResultMetric, ResultSetup, RunResult, ThresholdOutcome } from '../engine/result/types.js';
import type { CompletionReport } from '../engine/run/completion.js';
import { redactUrl } from '../util/url.js';

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

/** `✓ op_failed: rate<0.01 (actual 0)`; `✗ … (no data: …)`; `– … (n/a: …)`. */
function thresholdLine(t: ThresholdOutcome): string {
  const status = t.status ?? (t.ok ? 'pass' : 'fail');
  if (status === 'n/a')
    return `– ${t.metric}: ${t.expression} (n/a: ${t.note ?? 'not measured by this run'})`;
  if (status === 'no-data')
    return `${t.ok ? '✓' : '✗'} ${t.metric}: ${t.expression} (${t.note ?? 'no data'})`;
  return `${t.ok ? '✓' : '✗'} ${t.metric}: ${t.expression} (actual ${n(t.actual ?? 0, 3)})`;
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

/** The public API's base path: a base URL whose path does not end with it answers 404 to every op. */
const API_PATH = '/api/public';

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
  return [...out.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** `4xx`, or an exact code not 429 from 400 to 499 (`404`): a client error. */
const isClientError = (status: string) => status === '4xx' || (/^4\d\d$/.test(status) && status !== '429');

/** The path of a URL (`/` when it has none), or null when it is not one. */
function pathOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/**
 * `status` and `errors` lines: attempts per status (`http_reqs`'s `status` tag: a class, or a
 * code) with the ops that got each non-2xx; what to check when client errors answered a base
 * URL not ending in `/api/public`, or every request; then the most frequent error reasons
 * (`script_errors`'s `error` tag), the reason itself being its example.
 */
function statusLines(result: RunResult, baseUrl: string | undefined): string[] {
  const reqs = result.metrics.http_reqs;
  const byStatus = countsBy(reqs, 'status');
  const lines: string[] = [];
  if (byStatus.length > 0) {
    const total = byStatus.reduce((sum, [, c]) => sum + c, 0);
    const parts = byStatus.map(([status, count]) => {
      if (status === '2xx' || /^2\d\d$/.test(status) || reqs?.kind !== 'counter')
        return `${status} ×${n(count)}`;
      const ops = countsBy({ ...reqs, values: reqs.values.filter((v) => v.tags.status === status) }, 'op');
      const where = ops
        .slice(0, 3)
        .map(([op, c]) => (ops.length === 1 ? op : `${op} ×${n(c)}`))
        .join(', ');
      return `${status} ×${n(count)}${where === '' ? '' : ` (${where}${ops.length > 3 ? ', …' : ''})`}`;
    });
    lines.push(`  status     ${parts.join(', ')}`);
    const clientErrors = byStatus.filter(([s]) => isClientError(s)).reduce((sum, [, c]) => sum + c, 0);
    const path = pathOf(baseUrl);
    const code = byStatus.some(([s]) => s === '404') ? '404' : '4xx';
    if (clientErrors > 0 && path !== null && !path.replace(/\/+$/, '').endsWith(API_PATH)) {
      const shown = path === '/' ? 'no path' : `path ${path}`;
      lines.push(
        `  ! ${code} ×${n(clientErrors)}: ${code === '404' ? 'Not Found' : 'likely 404 Not Found'} — the base URL has ${shown}; check --url ends with ${API_PATH}`,
      );
    } else if (clientErrors === total) {
      lines.push(
        `  ! ${code} ×${n(clientErrors)}: every request was refused — check --url (…${API_PATH}) and the API key`,
      );
    }
  }
  const reasons = countsBy(result.metrics.script_errors, 'error');
  for (const [reason, count] of reasons.slice(0, MAX_REASON_LINES))
    lines.push(`  errors     ${reason} ×${n(count)}`);
  const rest = reasons.slice(MAX_REASON_LINES);
  if (rest.length > 0) {
    const count = rest.reduce((sum, [, c]) => sum + c, 0);
    lines.push(`  errors     … and ${n(rest.length)} more reason(s) ×${n(count)}`);
  }
  return lines;
}

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/**
 * The compact terminal summary printed at the end of `run`: throughput, latency from the
 * intended start, 429s, the audit, a scripted iteration's checks and custom metrics,
 * thresholds and the generator's warnings.
 *
 * @example
 * process.stdout.write(formatRunSummary(result, 'reports/out/…/result.json'));
 */
export function formatRunSummary(result: RunResult, resultPath: string | null): string {
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
    `${scenario?.name ?? 'scenario'} on ${target?.kind ?? '?'} (${where}) — ${n(s.durationSec, 1)} s` +
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
  lines.push(...statusLines(result, target?.baseUrl));
  const audit = result.audit as AuditReport | null;
  if (audit) {
    lines.push(
      `  audit      duplicates ${audit.duplicates.count}, lost ${audit.lost.count}, failed-but-applied ${audit.failedButApplied.count}, ` +
        `Retry-After violations ${audit.retryAfterViolations.count}, amplification ${n(audit.retryAmplification, 2)}` +
        (audit.complete ? '' : ' (ledger incomplete)'),
    );
  } else {
    const skipped = result.notices?.find((t) => t.startsWith('no audit: '))?.slice('no audit: '.length);
    const why =
      skipped ?? result.thresholds.find((t) => t.status === 'n/a')?.note ?? 'this target has no ledger';
    lines.push(`  audit      n/a — ${why}`);
  }
  if (s.checks) lines.push(...checkLines(s.checks));
  for (const m of s.custom) lines.push(customLine(m));
  const completion = result.completion as CompletionReport | null | undefined;
  if (completion) lines.push(`  iterations ${completionLine(completion)}`);
  for (const t of result.thresholds) lines.push(`  ${thresholdLine(t)}`);
  for (const w of s.warnings) lines.push(`  ! ${w}`);
  for (const notice of result.notices ?? []) {
    if (!notice.startsWith('client budgets:')) lines.push(`  ! ${notice}`);
  }
  const verdict = result.verdict ?? (result.passed ? 'passed' : 'failed');
  const word = {
    passed: 'PASSED',
    failed: 'FAILED',
    interrupted: 'INTERRUPTED (partial result, not a pass)',
  }[verdict];
  lines.push(`${word}${resultPath ? ` — result: ${resultPath}` : ''}`);
  return `${lines.join('\n')}\n`;
}
