/**
 * A k6 summary into a result. Counters, rates and gauges are exact totals and go into
 * `metrics`. A trend in a summary is only the figures k6 printed (avg, min, med, max, p(90),
 * p(95) by default): there is no histogram to merge or to take another percentile from, and
 * inventing one would lie. So trends stay out of `metrics`, kept as printed under
 * `target.k6.printed`, and a notice says so. k6's own threshold verdicts are kept.
 */
import type { ResultMetrics, ThresholdOutcome } from '../../../engine/result/types.js';
import { AUDIT_METRICS, evaluateThresholds } from '../../../engine/thresholds/evaluate.js';
import {
  compare,
  formatAggregation,
  parseThresholdExpression,
} from '../../../engine/thresholds/expression.js';
import { parseThresholds } from '../../../engine/thresholds/parse.js';
import { type MetricKind, metricCatalogue } from '../../../engine/types.js';
import type { PrintedMetric, PrintedSummary } from './summary-shapes.js';

/** Units of k6's `contains`. */
function unitOf(contains: string, kind: MetricKind): string {
  if (contains === 'time') return 'ms';
  if (contains === 'data') return 'bytes';
  return kind === 'rate' ? 'ratio' : '';
}

/**
 * The exact metrics of a summary: each counter, rate and gauge k6 printed for the metric
 * itself (its submetrics overlap it, so they would count twice under a tag filter).
 *
 * @example
 * summaryMetrics(summary).http_reqs; // { kind: 'counter', unit: '', values: [{ tags: {}, stats: { count: 408, rate: 66.86 } }] }
 */
export function summaryMetrics(summary: PrintedSummary): ResultMetrics {
  const out: ResultMetrics = {};
  for (const m of summary.metrics) {
    if (Object.keys(m.tags).length > 0) continue;
    const v = m.values;
    const unit = unitOf(m.contains, m.kind);
    if (m.kind === 'counter') {
      out[m.name] = {
        kind: 'counter',
        unit,
        values: [{ tags: {}, stats: { count: v.count ?? 0, rate: v.rate ?? 0 } }],
      };
    } else if (m.kind === 'rate') {
      const passes = v.passes ?? 0;
      const fails = v.fails ?? 0;
      const rate = v.rate ?? (passes + fails > 0 ? passes / (passes + fails) : 0);
      out[m.name] = { kind: 'rate', unit, values: [{ tags: {}, stats: { rate, passes, fails } }] };
    } else if (m.kind === 'gauge') {
      const value = v.value ?? 0;
      out[m.name] = {
        kind: 'gauge',
        unit,
        values: [{ tags: {}, stats: { value, min: v.min ?? value, max: v.max ?? value } }],
      };
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The audit's metrics: an import has no ledger, so thresholds on them are `n/a`, as `judge()` makes them. */
const NO_LEDGER: ReadonlyMap<string, string> = new Map(
  [...AUDIT_METRICS].map((m) => [m, 'this target has no ledger (imported from k6)'] as const),
);

/** The printed figure an expression compares (`p(95)` of a trend, `rate` of a rate), or null. */
function printedActual(metric: PrintedMetric, expression: string): number | null {
  const parsed = parseThresholdExpression(expression);
  if (!parsed.ok) return null;
  const name = formatAggregation(parsed.expression.aggregation);
  const value = metric.values[name] ?? (name === 'value' ? metric.values.rate : undefined);
  return value ?? null;
}

/**
 * k6's own verdict of every threshold in the summary, with the figure it compared when k6
 * printed it.
 *
 * @example
 * k6Outcomes(summary).find((t) => !t.ok)?.metric; // 'op_duration{op:send_message}'
 */
export function k6Outcomes(summary: PrintedSummary): ThresholdOutcome[] {
  const out: ThresholdOutcome[] = [];
  for (const m of summary.metrics) {
    for (const t of m.thresholds) {
      out.push({
        metric: m.key,
        expression: t.expression,
        ok: t.ok,
        status: t.ok ? 'pass' : 'fail',
        note: "k6's own verdict, from its summary",
        actual: printedActual(m, t.expression),
        abortOnFail: false,
        abort: false,
      });
    }
  }
  return out;
}

/**
 * Judges thresholds of ours (the scenario's, `--threshold`) over a summary: counters, rates
 * and gauges with `evaluateThresholds` over the exact metrics; a trend threshold by the figure
 * k6 printed for that very key and aggregation, else `no-data` (a failure: nothing we have
 * shows it held) with a note on how to get it judged.
 *
 * @example
 * judgeOverSummary({ 'http_req_duration{op:get_session}': ['p(95)<500'] }, summary, 6.1);
 */
export function judgeOverSummary(
  thresholds: unknown,
  summary: PrintedSummary,
  elapsedSec: number,
): ThresholdOutcome[] {
  const declared: Record<string, MetricKind> = {};
  for (const m of summary.metrics) declared[m.name] = m.kind;
  const parsed = parseThresholds(thresholds, metricCatalogue(declared));
  const metrics = summaryMetrics(summary);
  const exact = parsed.filter((p) => p.kind !== 'trend');
  const byThreshold = new Map(
    evaluateThresholds(exact, metrics, elapsedSec, { final: true, notApplicable: NO_LEDGER }).map(
      (o, i) => [exact[i]!, o] as const,
    ),
  );
  return parsed.map((p): ThresholdOutcome => {
    const done = byThreshold.get(p);
    if (done !== undefined) return done;
    const base = { metric: p.key, expression: p.source, abortOnFail: p.abortOnFail, abort: false };
    const printedMetric = summary.metrics.find(
      (m) => m.name === p.metric && sameTags(m.tags, p.filter ?? {}),
    );
    const actual = printedMetric === undefined ? null : printedActual(printedMetric, p.source);
    if (actual === null) {
      return {
        ...base,
        ok: p.allowNoData,
        status: 'no-data',
        note: `k6's summary printed no ${formatAggregation(p.expression.aggregation)} of ${p.key}; import its --out json points to judge it`,
        actual: null,
      };
    }
    const ok = compare(actual, p.expression.operator, p.expression.value);
    return { ...base, ok, status: ok ? 'pass' : 'fail', note: 'judged on the figure k6 printed', actual };
  });
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
