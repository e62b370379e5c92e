/**
 * `importK6File`: any k6 output file into our result document, judged.
 * - NDJSON (`--out json`, plain or gzipped): streamed line by line into HDR histograms and
 *   counters; thresholds re-judged with `judge()` — k6's own (its `Metric` lines carry those of
 *   whole metrics), the scenario's and the caller's.
 * - A summary (any of k6's three shapes): exact counters, rates and gauges; trends as printed
 *   (no histogram exists); k6's own verdicts kept, the caller's thresholds judged on what exists.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RunResult } from '../../../engine/result/types.js';
import { newRunId } from '../../../engine/run/run-id.js';
import { judge } from '../../../engine/thresholds/judge.js';
import type { MetricKind } from '../../../engine/types.js';
import { ConfigError } from '../../../util/validation.js';
import { k6Measures } from '../k6-metrics.js';
import { PointsReader } from './points.js';
import { readLines } from './read-lines.js';
import { emptySeries, importedResult } from './result-document.js';
import { judgeOverSummary, k6Outcomes, summaryMetrics } from './summary-result.js';
import { detectSummaryFormat, readSummary, type SummaryFormat } from './summary-shapes.js';

/** Which of k6's outputs a file was. */
export type K6Format = 'ndjson' | SummaryFormat;

/** Thresholds as a scenario holds them: key → expressions (strings or k6's threshold objects). */
export type ThresholdMap = Record<string, readonly unknown[]>;

/** Options of {@link importK6File}; every field has a default. */
export interface K6ImportOptions {
  /** More thresholds to judge (k6's grammar, as `--threshold`). Default none. */
  thresholds?: ThresholdMap;
  /**
   * The scenario the k6 script was exported from (validated): its thresholds are judged too
   * (those on metrics only the harness measures — `completion`, `queue_time`… — are left out
   * with a notice; the audit's are `n/a`), and it is stored in the result. Default none.
   */
  scenario?: { name: string; thresholds: ThresholdMap } & Record<string, unknown>;
  /** Default: a fresh run id. */
  runId?: string;
}

/** What {@link importK6File} gives back. */
export interface K6Import {
  result: RunResult;
  format: K6Format;
}

/** Problems reported before giving up on a damaged file: enough to see the pattern. */
const MAX_PROBLEMS = 20;

/** Most bytes of a summary read whole (summaries are kilobytes; NDJSON is streamed instead). */
const MAX_SUMMARY_CHARS = 64 * 1024 * 1024;

/**
 * Imports one k6 output file, detected by content: gzip by its magic bytes, NDJSON by a first
 * line that is a `Metric` or `Point` object, a summary by its structure. Throws a
 * `ConfigError` (exit 2) naming the line or field of malformed input.
 *
 * @example
 * const { result, format } = await importK6File('points.ndjson.gz', { thresholds: { http_req_failed: ['rate<0.01'] } });
 * process.exitCode = result.passed ? 0 : 99;
 */
export async function importK6File(file: string, options: K6ImportOptions = {}): Promise<K6Import> {
  const what = `k6 output ${file}`;
  const lines = readLines(file);
  const reader = new PointsReader();
  let text = '';
  let ndjson: boolean | null = null;
  for await (const { line, n } of lines) {
    if (ndjson === null) {
      if (line.trim() === '') continue;
      ndjson = looksLikeNdjson(line);
    }
    if (ndjson) {
      reader.line(line, n);
      if (reader.problems.length >= MAX_PROBLEMS || reader.full) break;
    } else {
      text += `${line}\n`;
      if (text.length > MAX_SUMMARY_CHARS) {
        throw new ConfigError(what, [
          {
            path: `line ${n}`,
            message: `not NDJSON, and too big for a k6 summary (over ${MAX_SUMMARY_CHARS} characters)`,
          },
        ]);
      }
    }
  }
  if (ndjson === null)
    throw new ConfigError(what, [{ path: '(file)', message: 'empty: no k6 output in it' }]);
  if (ndjson) {
    if (reader.problems.length > 0) throw new ConfigError(what, reader.problems);
    return { result: fromPoints(reader, file, options), format: 'ndjson' };
  }
  return fromSummaryText(text, file, what, options);
}

/** A first line that is a whole JSON object of type Metric or Point. */
function looksLikeNdjson(line: string): boolean {
  try {
    const v = JSON.parse(line) as { type?: unknown };
    return typeof v === 'object' && v !== null && (v.type === 'Metric' || v.type === 'Point');
  } catch {
    return false;
  }
}

/** The scenario's thresholds that a k6 run can measure, and a notice naming those it cannot. */
function scenarioThresholds(options: K6ImportOptions, notices: string[]): ThresholdMap {
  const out: ThresholdMap = {};
  const left: string[] = [];
  for (const [key, list] of Object.entries(options.scenario?.thresholds ?? {})) {
    if (k6Measures(key) || isAuditMetric(key)) out[key] = list;
    else left.push(key);
  }
  if (left.length > 0) {
    notices.push(
      `not judged: ${left.join(', ')} (the harness's own measurements, which a k6 run does not make; k6 counts dropped_iterations instead of completion)`,
    );
  }
  return out;
}

/** The audit's metrics stay in: `judge()` marks them `n/a` (an import has no ledger). */
function isAuditMetric(key: string): boolean {
  return /^(duplicates|lost|retry_after_violations|retry_amplification)(\{|$)/.test(key);
}

function mergeThresholds(...maps: ThresholdMap[]): ThresholdMap {
  const out: Record<string, unknown[]> = Object.create(null);
  for (const map of maps) {
    for (const [key, list] of Object.entries(map)) {
      const seen = out[key] ?? [];
      for (const t of list) if (!seen.some((s) => JSON.stringify(s) === JSON.stringify(t))) seen.push(t);
      out[key] = seen;
    }
  }
  return out;
}

function fromPoints(reader: PointsReader, file: string, options: K6ImportOptions): RunResult {
  const done = reader.finish();
  const notices: string[] = [];
  const declaredThresholds: ThresholdMap = {};
  const kinds: Record<string, MetricKind> = {};
  const submetrics: string[] = [];
  for (const [k6Name, m] of done.declared) {
    kinds[m.name] = m.kind;
    if (m.thresholds.length > 0) declaredThresholds[m.name] = m.thresholds;
    for (const s of m.submetrics) if (!s.endsWith('{expected_response:true}')) submetrics.push(s);
    if (m.kind === 'trend' && m.contains !== 'time') {
      notices.push(
        `${k6Name} is a k6 trend of plain values (not times): its histogram holds them as if they were ms`,
      );
    }
  }
  const theirs = mergeThresholds(scenarioThresholds(options, notices), options.thresholds ?? {});
  const thresholds = mergeThresholds(declaredThresholds, theirs);
  const unjudged = submetrics.filter((s) => !Object.hasOwn(thresholds, s));
  if (unjudged.length > 0) {
    notices.push(
      `k6's NDJSON declares the submetric(s) ${unjudged.join(', ')} but not their thresholds: give them (--threshold, or --scenario) to have them judged`,
    );
  }
  for (const [from, to] of done.renamed)
    notices.push(`k6's ${from} is ${to} here: ours of that name is another kind`);
  notices.unshift(
    `imported from k6 NDJSON ${basename(file)}: ${done.points} points; latencies as k6 measured them (from when a VU started the request or iteration, not from an open model's intended start)`,
    "durationMs is the span from the first point to the last (a little shorter than k6's own test run duration); counter rates are per second of it",
  );
  const firstMs = done.firstMs ?? 0;
  const run = {
    runId: options.runId ?? newRunId(),
    startedAtMs: firstMs,
    durationMs: done.lastMs === null ? 0 : done.lastMs - firstMs,
    metrics: done.metrics,
    series: done.series,
    scenario: {
      ...(options.scenario ?? { name: basename(file) }),
      thresholds,
      resolved: { metrics: kinds, thresholds },
    },
    // `baseUrl`: where the figures came from, which is what the run summary's header shows.
    target: { kind: 'k6', format: 'ndjson', file: basename(file), baseUrl: `k6 output ${basename(file)}` },
    notices,
  };
  const draft = importedResult(run, []);
  return importedResult(run, judge(draft, thresholds).thresholds);
}

async function fromSummaryText(
  text: string,
  file: string,
  what: string,
  options: K6ImportOptions,
): Promise<K6Import> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(what, [
      { path: '(file)', message: `neither k6 NDJSON nor a JSON summary (${(cause as Error).message})` },
    ]);
  }
  const format = detectSummaryFormat(doc);
  if (format === null) {
    throw new ConfigError(what, [
      {
        path: 'metrics',
        message:
          'not a k6 summary: expected --summary-export or handleSummary data ({ metrics: {…} }) or a k6 ≥ 1.5 machine-readable summary ({ version, results: { metrics: […] } })',
      },
    ]);
  }
  const { summary, problems } = readSummary(doc as Record<string, unknown>, format);
  if (problems.length > 0) throw new ConfigError(what, problems);
  const metrics = summaryMetrics(summary);
  const durationMs = summary.testRunDurationMs ?? durationFromCounters(metrics);
  const endedAtMs = (await stat(file)).mtimeMs;
  const notices = [
    `imported from a k6 summary (${format}) ${basename(file)}: counters, rates and gauges are k6's exact totals; trends are only the figures k6 printed (kept in target.k6.printed), with no histogram to merge or to read another percentile from — import k6's --out json points for that`,
    summary.testRunDurationMs === null
      ? "durationMs is count ÷ rate of a counter, and the times are the file's modification time: the summary has neither"
      : "startedAt/endedAt are the file's modification time less k6's test run duration: the summary has no clock time",
  ];
  const theirs = mergeThresholds(scenarioThresholds(options, notices), options.thresholds ?? {});
  const ours = Object.keys(theirs).length > 0 ? judgeOverSummary(theirs, summary, durationMs / 1_000) : [];
  const printed = Object.fromEntries(
    summary.metrics.filter((m) => m.kind === 'trend').map((m) => [m.key, m.values] as const),
  );
  const run = {
    runId: options.runId ?? newRunId(),
    startedAtMs: endedAtMs - durationMs,
    durationMs,
    metrics,
    series: emptySeries(),
    // No thresholds stored for judge() to re-run: a summary's trends cannot be re-judged, and
    // judging them again over metrics without them would turn k6's passes into no-data fails.
    scenario: { ...(options.scenario ?? { name: basename(file) }), thresholds: {} },
    target: {
      kind: 'k6',
      format,
      file: basename(file),
      baseUrl: `k6 output ${basename(file)}`,
      k6: { version: summary.k6Version, printed },
    },
    notices,
  };
  return { result: importedResult(run, [...k6Outcomes(summary), ...ours]), format };
}

/** count ÷ rate of the first counter with a rate: the run's length as k6 divided by it, ms. */
function durationFromCounters(metrics: ReturnType<typeof summaryMetrics>): number {
  for (const name of ['iterations', 'http_reqs', ...Object.keys(metrics)]) {
    const m = metrics[name];
    if (m?.kind !== 'counter') continue;
    const s = m.values[0]?.stats;
    if (s !== undefined && s.rate > 0) return (s.count / s.rate) * 1_000;
  }
  return 0;
}
