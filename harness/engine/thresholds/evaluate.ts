/**
 * Evaluating parsed thresholds over a result's metrics or the recorder's live data.
 *
 * A tag filter selects the tag sets whose tags include every filter entry and combines them
 * (histograms added, counters and rates summed; see `combineMetricData`). With no data:
 * counters count 0 (so `count==0` passes and `count>0` fails); every other aggregation has
 * nothing to judge (`actual: null`). Mid-run that is not yet a failure (so `abortOnFail` cannot
 * fire before the first sample); at the end (`final`) it is status `no-data`, which fails —
 * a run that measured nothing proved nothing — unless the threshold says `allowNoData`.
 * A threshold over a metric the run cannot produce (the audit's, on a target without a
 * ledger) is `n/a`: not failed, and not counted as passed either.
 */
import type { MetricData } from '../recorder/cells.js';
import { US_PER_MS } from '../recorder/hdr.js';
import { decodeResultMetrics } from '../result/codec.js';
import { combineMetricData } from '../result/combine.js';
import { trendPercentileMs } from '../result/stats.js';
import type { ResultMetrics, ThresholdOutcome } from '../result/types.js';
import { compare } from './expression.js';
import type { ParsedThreshold } from './parse.js';

/**
 * What thresholds are evaluated over: a result's `metrics`, or live data (`recorder.metrics()`).
 *
 * @example
 * evaluateThresholds(parsed, recorder.metrics(), 10); // or result.metrics
 */
export type ThresholdMetricsInput = ResultMetrics | readonly MetricData[];

function selects(data: MetricData, threshold: ParsedThreshold): boolean {
  if (data.name !== threshold.metric || data.kind !== threshold.kind) return false;
  if (!threshold.filter) return true;
  for (const [tag, value] of Object.entries(threshold.filter)) {
    if (data.tags[tag] !== value) return false;
  }
  return true;
}

/** The selected data combined into one, or null when nothing was selected. */
function select(threshold: ParsedThreshold, data: readonly MetricData[]): MetricData | null {
  const selected = data.filter((d) => selects(d, threshold));
  if (selected.length === 0) return null;
  return selected.length === 1 ? selected[0]! : combineMetricData(selected, threshold.filter ?? {});
}

/** The aggregated value a threshold compares, or null when there is nothing to judge. */
function aggregate(threshold: ParsedThreshold, data: MetricData | null, elapsedSec: number): number | null {
  const { aggregation } = threshold.expression;
  if (data === null) {
    return threshold.kind === 'counter'
      ? 0
      : threshold.kind === 'trend' && aggregation.kind === 'count'
        ? 0
        : null;
  }
  switch (data.kind) {
    case 'trend':
      if (aggregation.kind === 'count') return data.count;
      if (data.count === 0) return null;
      switch (aggregation.kind) {
        case 'p':
          return trendPercentileMs(data, aggregation.percentile);
        case 'med':
          return trendPercentileMs(data, 50);
        case 'avg':
          return data.sumUs / data.count / US_PER_MS;
        case 'min':
          return data.minUs / US_PER_MS;
        case 'max':
          return data.maxUs / US_PER_MS;
        default:
          return null;
      }
    case 'counter':
      return aggregation.kind === 'rate' ? (elapsedSec > 0 ? data.count / elapsedSec : 0) : data.count;
    case 'rate': {
      const total = data.passes + data.fails;
      return total > 0 ? data.passes / total : null;
    }
    case 'gauge':
      return data.sets > 0 ? data.value : null;
  }
}

/** Options of {@link evaluateThresholds}. */
export interface EvaluateOptions {
  /** The run is over: no data is now a verdict (`no-data`, a failure unless `allowNoData`). */
  final?: boolean;
  /** Metric name → why this run cannot produce it (e.g. the audit's metrics without a ledger): `n/a`. */
  notApplicable?: ReadonlyMap<string, string>;
}

/**
 * Metrics only the auditor produces: without a ledger, thresholds on them are `n/a`.
 *
 * @example
 * AUDIT_METRICS.has('duplicates'); // true
 */
export const AUDIT_METRICS: ReadonlySet<string> = new Set([
  'duplicates',
  'lost',
  'retry_after_violations',
  'retry_amplification',
]);

/**
 * Evaluates every threshold. Usable mid-run (pass `recorder.metrics()` — no encoding — and
 * the seconds elapsed; stop the run when any outcome has `abort`) and at the end (pass the
 * result's `metrics`, its duration and `{ final: true }`). `elapsedSec` is the denominator of
 * a counter's `rate` and the clock `delayAbortEval` is measured against.
 *
 * @example
 * const parsed = parseThresholds(scenario.thresholds);
 * const outcomes = evaluateThresholds(parsed, recorder.metrics(), recorder.elapsedMs() / 1000);
 * if (outcomes.some((o) => o.abort)) stopRun();
 */
export function evaluateThresholds(
  parsed: readonly ParsedThreshold[],
  metrics: ThresholdMetricsInput,
  elapsedSec: number,
  options: EvaluateOptions = {},
): ThresholdOutcome[] {
  let data: readonly MetricData[];
  if (Array.isArray(metrics)) data = metrics as readonly MetricData[];
  else {
    // Decode only what the thresholds ask about: decoding a histogram costs about a millisecond.
    const wanted = new Set(parsed.map((t) => t.metric));
    const subset: ResultMetrics = {};
    for (const [name, metric] of Object.entries(metrics as ResultMetrics))
      if (wanted.has(name)) subset[name] = metric;
    data = decodeResultMetrics(subset);
  }
  // Thresholds on the same key share one selection (and one combination of its tag sets).
  const selections = new Map<string, MetricData | null>();
  return parsed.map((threshold): ThresholdOutcome => {
    const base = {
      metric: threshold.key,
      expression: threshold.source,
      abortOnFail: threshold.abortOnFail,
    };
    const unavailable = options.notApplicable?.get(threshold.metric);
    if (unavailable !== undefined) {
      return { ...base, ok: true, status: 'n/a', note: unavailable, actual: null, abort: false };
    }
    let selected = selections.get(threshold.key);
    if (selected === undefined) {
      selected = select(threshold, data);
      selections.set(threshold.key, selected);
    }
    const actual = aggregate(threshold, selected, elapsedSec);
    if (actual === null) {
      const ok = !options.final || threshold.allowNoData;
      return {
        ...base,
        ok,
        status: 'no-data',
        note: options.final
          ? threshold.allowNoData
            ? 'no data (allowed: allowNoData)'
            : 'no data: nothing was measured, so nothing passed (set allowNoData to allow it)'
          : 'no data yet',
        actual,
        abort: false,
      };
    }
    const ok = compare(actual, threshold.expression.operator, threshold.expression.value);
    return {
      ...base,
      ok,
      status: ok ? 'pass' : 'fail',
      actual,
      abort: !ok && threshold.abortOnFail && elapsedSec * 1_000 >= threshold.delayAbortEvalMs,
    };
  });
}

/**
 * True when every outcome passed.
 *
 * @example
 * process.exitCode = thresholdsPassed(outcomes) ? 0 : 99;
 */
export function thresholdsPassed(outcomes: readonly ThresholdOutcome[]): boolean {
  return outcomes.every((o) => o.ok);
}
