/**
 * One run as the HTML report shows it: its verdict, headline figures and tables (thresholds,
 * operations, statuses, errors, audit, completion, setup, metadata) and the scenario as JSON.
 * The facts come from `reports/facts.ts`, as every other report's do; this only lays them out.
 */
import type { CounterData, MetricData, RateData } from '../../harness/engine/recorder/cells.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import type { CompletionReport } from '../../harness/engine/run/completion.js';
import {
  auditOf,
  errorRows,
  measuredOf,
  type OperationRow,
  operationRows,
  thresholdStatusOf,
  verdictOf,
} from '../facts.js';
import { trendTotal } from './chart-data.js';
import { count, duration, ms, percent } from './format.js';

/** How a cell reads: `good` ✓ green, `bad` ✗ red, `warn` amber, `muted` grey. */
export type Tone = 'good' | 'bad' | 'warn' | 'muted';

/** A table cell: text, or text with a tone and a tooltip. */
export type Cell = string | { text: string; tone?: Tone; title?: string };

/** One table of a run. */
export interface TableData {
  id: string;
  title: string;
  /** One sentence under the title; '' for none. */
  caption: string;
  columns: { label: string; numeric?: boolean }[];
  rows: Cell[][];
  /** Shown instead of the rows when there are none. */
  empty: string;
}

/** A headline figure at the top of a run. */
export interface Tile {
  label: string;
  value: string;
  /** A second line: the unit's context (`12.1/s`, `0.5 %`). */
  detail: string;
  tone?: Tone;
}

/** What the page shows of one run. */
export interface RunView {
  /** `A`, `B`, … when several runs are shown; '' for one. */
  tag: string;
  scenario: string;
  description: string;
  runId: string;
  startedAt: string;
  durationMs: number;
  verdict: ReturnType<typeof verdictOf>;
  /** One line on why: the failed thresholds, or what stopped the run. */
  because: string;
  tiles: Tile[];
  tables: TableData[];
  notices: string[];
  /** Collapsed JSON blocks: the scenario as run, the target. */
  details: { title: string; json: string }[];
}

const sumCounter = (data: readonly MetricData[], name: string) =>
  data.reduce((n, d) => n + (d.name === name && d.kind === 'counter' ? d.count : 0), 0);

function countersBy(data: readonly MetricData[], name: string, tags: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of data) {
    if (d.name !== name || d.kind !== 'counter') continue;
    const key = JSON.stringify(tags.map((t) => d.tags[t] ?? ''));
    out.set(key, (out.get(key) ?? 0) + (d as CounterData).count);
  }
  return out;
}

/** The metrics of `result` named in `names`. */
function pickMetrics(result: RunResult, names: readonly string[]): RunResult['metrics'] {
  return Object.fromEntries(names.flatMap((n) => (result.metrics[n] ? [[n, result.metrics[n]]] : [])));
}

const scenarioOf = (result: RunResult) =>
  (result.scenario ?? {}) as { name?: unknown; description?: unknown; abortedBy?: unknown };

function tiles(result: RunResult, data: readonly MetricData[]): Tile[] {
  const seconds = result.durationMs / 1_000;
  const ops = sumCounter(data, 'ops');
  let failed = 0;
  for (const d of data) if (d.name === 'op_failed' && d.kind === 'rate') failed += (d as RateData).passes;
  const rateLimited = sumCounter(data, 'rate_limited');
  const retries = sumCounter(data, 'retries');
  const requests = sumCounter(data, 'http_reqs');
  const op = trendTotal(data, 'op_duration');
  const judged = result.thresholds.filter((t) => thresholdStatusOf(t) !== 'n/a');
  const failing = judged.filter((t) => !t.ok).length;
  const perSec = (n: number) => (seconds > 0 ? `${count(Math.round((n / seconds) * 10) / 10)}/s` : '');
  return [
    {
      label: 'thresholds',
      value: `${judged.length - failing} of ${judged.length}`,
      detail: failing === 0 ? 'passed' : `${failing} failed`,
      tone: failing === 0 ? 'good' : 'bad',
    },
    { label: 'operations', value: count(ops), detail: perSec(ops) },
    {
      label: 'failed',
      value: count(failed),
      detail: percent(failed, ops),
      tone: failed === 0 ? 'good' : 'bad',
    },
    {
      label: 'op_duration p50',
      value: ms(op === null ? null : trendPercentileMs(op, 50)),
      detail: 'intended start',
    },
    {
      label: 'op_duration p99',
      value: ms(op === null ? null : trendPercentileMs(op, 99)),
      detail: `max ${ms(op === null ? null : op.maxUs / 1_000)}`,
    },
    {
      label: '429s',
      value: count(rateLimited),
      detail: `${percent(rateLimited, requests)} of requests`,
      tone: rateLimited === 0 ? undefined : 'warn',
    },
    { label: 'retries', value: count(retries), detail: perSec(retries) },
    {
      label: 'duration',
      value: duration(result.durationMs),
      detail: `from ${result.startedAt.slice(11, 19)} UTC`,
    },
  ];
}

const STATUS_CELL: Record<ReturnType<typeof thresholdStatusOf>, Cell> = {
  pass: { text: '✓ pass', tone: 'good' },
  fail: { text: '✗ fail', tone: 'bad' },
  'no-data': { text: '✗ no data', tone: 'bad', title: 'nothing was measured, so nothing passed' },
  'n/a': { text: '– n/a', tone: 'muted' },
};

/** The order of threshold rows by status (a stable sort keeps the written order within each). */
const STATUS_ORDER: Record<ReturnType<typeof thresholdStatusOf>, number> = {
  fail: 0,
  'no-data': 1,
  pass: 2,
  'n/a': 3,
};

function thresholdsTable(result: RunResult): TableData {
  return {
    id: 'thresholds',
    title: 'Thresholds',
    caption: "the scenario's, --threshold and the defaults, judged over the whole run",
    columns: [
      { label: '' },
      { label: 'metric' },
      { label: 'threshold' },
      { label: 'measured', numeric: true },
    ],
    // Failures first: what a reader opens the report for.
    rows: [...result.thresholds]
      .sort((a, b) => STATUS_ORDER[thresholdStatusOf(a)] - STATUS_ORDER[thresholdStatusOf(b)])
      .map((t) => [
        STATUS_CELL[thresholdStatusOf(t)],
        t.metric,
        t.expression,
        t.note === undefined ? measuredOf(result, t) : { text: measuredOf(result, t), title: t.note },
      ]),
    empty: 'no thresholds',
  };
}

/** The p99 of one op's attempts in the client or on the wire, with its count as a tooltip. */
function p99Cell(figures: OperationRow['service']): Cell {
  return figures === null
    ? '–'
    : {
        text: ms(figures.p99),
        title: `${count(figures.count)} sample${figures.count === 1 ? '' : 's'}`,
      };
}

function operationsTable(result: RunResult): TableData {
  // Only the metrics the rows are made of: operationRows decodes every histogram it is given.
  const metrics = pickMetrics(result, [
    'ops',
    'op_failed',
    'op_duration',
    'http_req_duration',
    'queue_time',
    'reply_latency',
  ]);
  const rows = operationRows({ metrics, durationMs: result.durationMs });
  const withReply = rows.some((r) => r.reply !== null);
  return {
    id: 'operations',
    title: 'Operations',
    caption:
      'op_duration from the intended start (queueing included); service = http_req_duration of its attempts on the wire, queue = queue_time in the client' +
      (withReply ? ', reply = reply_latency' : ''),
    columns: [
      { label: 'operation' },
      { label: 'count', numeric: true },
      { label: 'goodput', numeric: true },
      { label: 'failed', numeric: true },
      { label: 'p50', numeric: true },
      { label: 'p90', numeric: true },
      { label: 'p99', numeric: true },
      { label: 'p99.9', numeric: true },
      { label: 'max', numeric: true },
      { label: 'service p99', numeric: true },
      { label: 'queue p99', numeric: true },
      ...(withReply ? [{ label: 'reply p99', numeric: true }] : []),
    ],
    rows: rows.map((r) => [
      r.op,
      count(r.count),
      r.goodput === null ? '–' : `${count(Math.round(r.goodput * 10) / 10)}/s`,
      r.failed === 0 ? '0' : { text: `${count(r.failed)} (${percent(r.failed, r.count)})`, tone: 'bad' },
      ms(r.p50),
      ms(r.p90),
      ms(r.p99),
      ms(r.p999),
      ms(r.max),
      p99Cell(r.service),
      p99Cell(r.queue),
      ...(withReply ? [p99Cell(r.reply)] : []),
    ]),
    empty: 'no operation completed',
  };
}

function statusTable(data: readonly MetricData[]): TableData {
  // A counter made for a status that never came is 0: not a row.
  const rows = [...countersBy(data, 'http_reqs', ['status'])]
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, c]) => n + c, 0);
  return {
    id: 'statuses',
    title: 'Responses',
    caption: 'attempts on the wire (http_reqs) by status',
    columns: [{ label: 'status' }, { label: 'attempts', numeric: true }, { label: 'share', numeric: true }],
    rows: rows.map(([key, c]) => {
      const status = (JSON.parse(key) as string[])[0] || '(untagged)';
      const tone: Tone | undefined = status === '2xx' ? undefined : status === '429' ? 'warn' : 'bad';
      return [tone === undefined ? status : { text: status, tone }, count(c), percent(c, total)];
    }),
    empty: 'no request was sent',
  };
}

/** The `attempt_errors` counter by op and reason, with an example each; null when the run has none. */
/** The `attempt_errors` counter by reason, with its operations, an example and what to check; null when the run has none. */
function errorsTable(result: RunResult): TableData | null {
  if (result.metrics.attempt_errors === undefined) return null;
  const rows = errorRows(result);
  const withHint = rows.some((r) => r.hint !== null);
  return {
    id: 'errors',
    title: 'Errors',
    caption:
      'failed attempts and operations by reason (the exact status, or the error code when no answer came)',
    columns: [
      { label: 'reason' },
      { label: 'count', numeric: true },
      { label: 'operations' },
      { label: 'example' },
      ...(withHint ? [{ label: 'what to check' }] : []),
    ],
    rows: rows.map((r) => [
      { text: r.reason, tone: 'bad' },
      count(r.count),
      r.ops.map((o) => `${o.op} ×${count(o.count)}`).join(', '),
      { text: r.example ?? '', tone: 'muted' },
      ...(withHint ? [r.hint === null ? '' : { text: r.hint, tone: 'warn' as const }] : []),
    ]),
    empty: 'no errors',
  };
}

function auditTable(result: RunResult, live: boolean): TableData {
  const audit = auditOf(result);
  if (audit.kind === 'n/a' && live) {
    return {
      id: 'audit',
      title: 'Audit',
      caption: '',
      columns: [],
      rows: [],
      empty: 'pending — against a mock, the ledger is audited when the run ends',
    };
  }
  if (audit.kind === 'n/a') {
    return {
      id: 'audit',
      title: 'Audit',
      caption: '',
      columns: [],
      rows: [],
      empty: `n/a — ${audit.why}`,
    };
  }
  const r = audit.report;
  const caption = [
    `${count(r.operations)} operations, ${count(r.requests)} requests in the ledger`,
    `retry amplification ${Number(r.retryAmplification.toFixed(3))}`,
    `${count(r.rateLimited)} × 429`,
    r.complete ? 'complete' : `incomplete: ${r.incomplete.join('; ')}`,
  ].join(' · ');
  return {
    id: 'audit',
    title: 'Audit',
    caption,
    columns: [
      { label: '' },
      { label: 'check' },
      { label: 'found', numeric: true },
      { label: 'examples (op ids)' },
    ],
    rows: audit.checks.map((c) => [
      c.count === 0
        ? { text: '✓', tone: 'good' }
        : c.gates
          ? { text: '✗', tone: 'bad' }
          : { text: '!', tone: 'warn', title: 'reported only' },
      { text: c.name, title: c.describe },
      count(c.count),
      { text: c.examples.join(', '), tone: 'muted' },
    ]),
    empty: '',
  };
}

function completionTable(result: RunResult): TableData | null {
  const c = result.completion as CompletionReport | null | undefined;
  if (c === null || c === undefined || typeof c !== 'object' || c.byExecutor === undefined) return null;
  return {
    id: 'completion',
    title: 'Demanded against done',
    caption:
      c.shortfall > 0 ? `short by ${count(c.shortfall)}` : 'every demanded iteration that could run, ran',
    columns: [
      { label: 'executor' },
      { label: 'demanded', numeric: true },
      { label: 'done', numeric: true },
      { label: 'interrupted', numeric: true },
      { label: 'dropped', numeric: true },
      { label: 'never started', numeric: true },
    ],
    rows: Object.entries(c.byExecutor).map(([name, e]) => [
      name,
      e.demanded === null ? '–' : count(e.demanded),
      count(e.completed),
      count(e.interrupted),
      e.dropped === 0 ? '0' : { text: count(e.dropped), tone: 'warn' },
      count(e.notStarted),
    ]),
    empty: 'no executor',
  };
}

const pairs = (id: string, title: string, caption: string, rows: [string, string][]): TableData => ({
  id,
  title,
  caption,
  columns: [{ label: '' }, { label: '' }],
  rows: rows.map(([k, v]) => [{ text: k, tone: 'muted' }, v]),
  empty: 'none recorded',
});

function setupTable(result: RunResult): TableData {
  const s = result.setup;
  if (s === undefined) return pairs('setup', 'Setup', 'before the clock started', []);
  if (s.skipped !== null) return pairs('setup', 'Setup', '', [['skipped', s.skipped]]);
  return pairs('setup', 'Setup', 'before the clock started; in no metric, audited', [
    ['took', duration(s.durationMs)],
    ['VUs prepared', `${count(s.vus)} (${count(s.initialised)} set up, ${count(s.initFailed)} failed)`],
    ['warm-up reads', count(s.warmRequests)],
    ['requests', `${count(s.requests)} (${count(s.rateLimited)} × 429)`],
    ['pool connections', count(s.connections)],
    ...(s.cutShort === null ? [] : [['cut short', s.cutShort] as [string, string]]),
  ]);
}

function targetText(target: unknown): string {
  if (target === null || typeof target !== 'object') return String(target ?? '–');
  const t = target as { kind?: unknown; baseUrl?: unknown; url?: unknown };
  return [t.kind, t.baseUrl ?? t.url].filter((v) => typeof v === 'string').join(' · ') || '–';
}

function metadataTable(result: RunResult): TableData {
  const m = result.meta;
  return pairs('metadata', 'Metadata', '', [
    ['run id', result.runId],
    ['started', result.startedAt],
    ['ended', result.endedAt],
    ['target', targetText(result.target)],
    ...(m === undefined
      ? []
      : ([
          ['command', m.commandLine],
          ['seed', m.seed === null ? '–' : String(m.seed)],
          ['nexus-harness', m.harnessVersion],
          ['node', m.node],
          ['os', `${m.os}, ${m.cpus} CPU${m.cpus === 1 ? '' : 's'}`],
          [
            '--unsafe-ignore-rate-limits',
            m.unsafeIgnoreRateLimits ? 'on (the client was broken on purpose)' : 'off',
          ],
        ] as [string, string][])),
  ]);
}

function because(result: RunResult): string {
  const verdict = verdictOf(result);
  const aborted = scenarioOf(result).abortedBy;
  if (verdict === 'interrupted')
    return `stopped early${typeof aborted === 'string' ? `: ${aborted}` : ''} — partial result, not a pass`;
  const failed = result.thresholds.filter((t) => !t.ok);
  if (failed.length === 0) return 'every threshold passed';
  const named = failed.slice(0, 3).map((t) => `${t.metric}: ${t.expression} (${measuredOf(result, t)})`);
  return `failed: ${named.join('; ')}${failed.length > 3 ? ` and ${failed.length - 3} more` : ''}`;
}

/**
 * The view of one run. `data` is its decoded metrics (`decodeResultMetrics(result.metrics)`),
 * decoded once for the charts and the tables; `live` for a snapshot of a run still going (its
 * audit is not done yet, rather than not possible).
 *
 * @example
 * runView(result, decodeResultMetrics(result.metrics), '').tables.map((t) => t.id);
 * // ['thresholds', 'operations', 'statuses', 'audit', 'completion', 'setup', 'metadata']
 */
export function runView(result: RunResult, data: readonly MetricData[], tag: string, live = false): RunView {
  const s = scenarioOf(result);
  const tables = [
    thresholdsTable(result),
    operationsTable(result),
    statusTable(data),
    errorsTable(result),
    auditTable(result, live),
    completionTable(result),
    setupTable(result),
    metadataTable(result),
  ].filter((t): t is TableData => t !== null);
  return {
    tag,
    scenario: typeof s.name === 'string' ? s.name : '(unnamed scenario)',
    description: typeof s.description === 'string' ? s.description : '',
    runId: result.runId,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    verdict: verdictOf(result),
    because: because(result),
    tiles: tiles(result, data),
    tables,
    notices: result.notices ?? [],
    details: [
      { title: 'Scenario (as run)', json: JSON.stringify(result.scenario ?? null, null, 2) },
      { title: 'Target', json: JSON.stringify(result.target ?? null, null, 2) },
    ],
  };
}
