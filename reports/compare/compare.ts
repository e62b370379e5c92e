/**
 * Two runs side by side: per metric and tag set present in both, the baseline's and the
 * current run's figures, the change, the noise measured within the runs, and whether the
 * change is a regression (beyond the tolerance and the noise) or breaches a gate.
 */
import type { MetricData } from '../../harness/engine/recorder/cells.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import { combineMetricData } from '../../harness/engine/result/combine.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { UsageError } from '../../harness/util/errors.js';
import { type CompareStat, gateMatches, type RegressionGate } from './gate.js';
import {
  bootstrapRelativeHalfWidth,
  combinedHalfWidth,
  percentileSamplingHalfWidth,
  rateSamplingHalfWidth,
} from './noise.js';

/** Which way a figure gets worse: up (latency, failures, 429s), down (throughput), or neither. */
export type Worse = 'up' | 'down' | null;

/**
 * One figure of one metric and tag set in both runs.
 *
 * @example
 * const row: CompareRow = { metric: 'op_duration', tags: { op: 'poll' }, label: 'op_duration{op:poll}',
 *   stat: 'p(99)', unit: 'ms', baseline: 12, current: 14, changePct: 16.7, worse: 'up',
 *   noise: 3.1, noisePct: 25.8, noiseSource: 'sampling', tolerancePct: 10, regression: false,
 *   gates: [], breached: [] };
 */
export interface CompareRow {
  metric: string;
  /** The row's tag set; `{}` for the total over every tag set of the metric. */
  tags: Record<string, string>;
  /** `metric{tag:value,…}`, or `metric (all)` for the total. */
  label: string;
  stat: CompareStat;
  /** The metric's unit (`ms`, `ratio`; counters' rates are per second). */
  unit: string;
  baseline: number;
  current: number;
  /** (current − baseline) ÷ baseline, %; null when the baseline is 0 and the current is not. */
  changePct: number | null;
  worse: Worse;
  /** Half-width of the 95 % noise band of the difference, in `unit`; null: noise unknown. */
  noise: number | null;
  /** `noise` as % of the baseline; null when unknown or the baseline is 0. */
  noisePct: number | null;
  /** How the noise was measured. */
  noiseSource: string;
  /** The tolerance the `regression` flag used, %. */
  tolerancePct: number;
  /** Worse by more than `tolerancePct` and by more than the noise. */
  regression: boolean;
  /** Expressions of the gates that apply to this row. */
  gates: string[];
  /** Of those, the ones this row breaches. */
  breached: string[];
}

/**
 * Everything a comparison found.
 *
 * @example
 * const c = compareResults(base, cur, { gates });
 * process.exitCode = c.breached.length > 0 ? 99 : 0;
 */
export interface Comparison {
  baseline: { runId: string; seed: number | null; durationMs: number };
  current: { runId: string; seed: number | null; durationMs: number };
  tolerancePct: number;
  rows: CompareRow[];
  /** Labels and stats of the rows flagged as regressions. */
  regressions: string[];
  /** Each breached gate, with the row that breached it. */
  breached: string[];
}

/** Options of {@link compareResults}. */
export interface CompareOptions {
  /** Change for the worse above which a row is flagged (if also beyond the noise), %. Default 10. */
  tolerancePct?: number;
  /** `--max-regression` gates. Default none. */
  gates?: readonly RegressionGate[];
  /**
   * Smallest change for the worse of a trend in ms that counts, ms (below it timer and
   * scheduling jitter dominate). Default 1.
   */
  minChangeMs?: number;
}

/** Per-second intervals with fewer operations than this are left out of the bootstrap. */
const MIN_OPS_PER_INTERVAL = 5;
const TREND_STATS: readonly [CompareStat, number][] = [
  ['p(50)', 50],
  ['p(90)', 90],
  ['p(99)', 99],
];
const UP_COUNTERS = new Set([
  'rate_limited',
  'retries',
  'dropped_iterations',
  'duplicates',
  'lost',
  'retry_after_violations',
]);
const DOWN_COUNTERS = new Set(['ops', 'iterations', 'http_reqs']);

/** Figures of the load generator, not of the target: shown, never flagged (the run's generator warnings judge them). */
const GENERATOR_METRICS = new Set(['schedule_lateness']);

function worseOf(name: string, kind: MetricData['kind']): Worse {
  if (GENERATOR_METRICS.has(name)) return null;
  if (kind === 'trend') return 'up';
  if (kind === 'rate')
    return /fail/.test(name) ? 'up' : name === 'checks' || name === 'completion' ? 'down' : null;
  if (UP_COUNTERS.has(name)) return 'up';
  return DOWN_COUNTERS.has(name) ? 'down' : null;
}

/** One side's figure and its noise half-width (same unit); null half-width: unknown. */
interface Side {
  value: number;
  halfWidth: number | null;
  perSecond: boolean;
  /** Fewer than {@link MIN_TAIL_SAMPLES} samples beyond the percentile: its noise is understated. */
  thinTail: boolean;
}

/** Samples beyond a percentile below which its sampling noise is understated (a p99 of < 500 values). */
const MIN_TAIL_SAMPLES = 5;

/** The per-second samples the series holds for the total of `metric`/`stat`, or null. */
function perSecondOf(result: RunResult, metric: string, stat: CompareStat): number[] | null {
  const s = result.series;
  if (s === undefined || !Array.isArray(s.ops)) return null;
  const busy = (i: number) => (s.ops[i] ?? 0) >= MIN_OPS_PER_INTERVAL;
  const column = (values: readonly (number | null)[]) =>
    values.flatMap((v, i) => (v !== null && busy(i) ? [v] : []));
  if (metric === 'op_duration' && stat === 'p(50)') return column(s.p50Ms);
  if (metric === 'op_duration' && stat === 'p(99)') return column(s.p99Ms);
  // The last interval is usually partial: its count is not a per-second figure.
  const full = (values: readonly number[]) => values.slice(0, Math.max(0, values.length - 1));
  if (metric === 'ops' && stat === 'rate') return full(s.ops);
  if (metric === 'rate_limited' && stat === 'rate') return full(s.rateLimited);
  return null;
}

function sideOf(result: RunResult, d: MetricData, stat: CompareStat, total: boolean): Side | null {
  const seconds = result.durationMs / 1_000;
  let value: number;
  let sampling: number | null;
  let thinTail = false;
  if (d.kind === 'trend') {
    if (d.count === 0) return null;
    const p = TREND_STATS.find(([s]) => s === stat)![1];
    value = trendPercentileMs(d, p);
    sampling = percentileSamplingHalfWidth(d, p);
    thinTail = d.count * (1 - p / 100) < MIN_TAIL_SAMPLES;
  } else if (d.kind === 'rate') {
    const n = d.passes + d.fails;
    value = n > 0 ? d.passes / n : 0;
    sampling = rateSamplingHalfWidth(d.passes, n);
  } else if (d.kind === 'counter') {
    value = seconds > 0 ? d.count / seconds : 0;
    // Poisson: a count of n is known to about ±1.96·√n.
    sampling = seconds > 0 ? (1.96 * Math.sqrt(Math.max(d.count, 1))) / seconds : null;
  } else return null;
  const samples = total ? perSecondOf(result, d.name, stat) : null;
  const rel = samples === null ? null : bootstrapRelativeHalfWidth(samples);
  const perSecond = rel !== null ? rel * value : null;
  const halfWidth =
    perSecond === null ? sampling : sampling === null ? perSecond : Math.max(perSecond, sampling);
  return { value, halfWidth, perSecond: perSecond !== null, thinTail };
}

function groupByMetric(data: readonly MetricData[]): Map<string, Map<string, MetricData>> {
  const out = new Map<string, Map<string, MetricData>>();
  for (const d of data) {
    if (d.kind === 'gauge') continue;
    const byKey = out.get(d.name) ?? new Map<string, MetricData>();
    out.set(d.name, byKey);
    byKey.set(d.key, d);
  }
  return out;
}

function labelOf(metric: string, tags: Readonly<Record<string, string>>): string {
  const entries = Object.entries(tags);
  if (entries.length === 0) return `${metric} (all)`;
  return `${metric}{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

/** How far `row` is worse, in its unit (≤ 0: not worse). */
function worseBy(worse: Worse, baseline: number, current: number): number {
  if (worse === null) return 0;
  return worse === 'up' ? current - baseline : baseline - current;
}

function isRegression(
  worse: Worse,
  b: number,
  c: number,
  noise: number | null,
  tolerancePct: number,
  floor: number,
): boolean {
  const by = worseBy(worse, b, c);
  if (!(by > 0) || by < floor) return false;
  const beyondTolerance = b > 0 ? (100 * by) / b > tolerancePct : true;
  return beyondTolerance && (noise === null || by > noise);
}

/**
 * Compares `current` with `baseline`: for every metric and tag set in both (plus the total of
 * each metric over its tag sets), trends' p50/p90/p99, rates' and counters' rate (per second),
 * with a noise band made of the runs' own sampling noise (percentile ranks, Wilson, Poisson)
 * and, for the totals the per-second series holds (`op_duration` p50/p99, `ops`,
 * `rate_limited`), a seeded bootstrap over the seconds. Rows that are zero in both runs are
 * left out (a gate on them holds). Throws a `UsageError` for a gate that matches no metric, tag
 * set and stat of both runs (a typo would otherwise pass silently).
 *
 * @example
 * const c = compareResults(baseline, current, { gates: parseRegressionGates(['op_duration:p(99)=+10%']) });
 * c.regressions; // ['op_duration (all) p(99)']
 */
export function compareResults(
  baseline: RunResult,
  current: RunResult,
  options: CompareOptions = {},
): Comparison {
  const tolerancePct = options.tolerancePct ?? 10;
  const gates = options.gates ?? [];
  const minChangeMs = options.minChangeMs ?? 1;
  const base = groupByMetric(decodeResultMetrics(baseline.metrics));
  const cur = groupByMetric(decodeResultMetrics(current.metrics));
  const rows: CompareRow[] = [];
  const matched = new Set<RegressionGate>();
  const inBoth = new Set<string>();
  for (const metric of [...base.keys()].sort()) {
    const b = base.get(metric)!;
    const c = cur.get(metric);
    if (c === undefined) continue;
    inBoth.add(metric);
    const kind = b.values().next().value!.kind;
    if (c.values().next().value!.kind !== kind) continue;
    const pairs: [Record<string, string>, MetricData, MetricData, boolean][] = [];
    const bAll = [...b.values()];
    const cAll = [...c.values()];
    if (bAll.length > 1 || Object.keys(bAll[0]!.tags).length > 0)
      pairs.push([{}, combineMetricData(bAll, {}), combineMetricData(cAll, {}), true]);
    for (const [key, bd] of [...b.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const cd = c.get(key);
      if (cd !== undefined) pairs.push([{ ...bd.tags }, bd, cd, Object.keys(bd.tags).length === 0]);
    }
    const stats: CompareStat[] = kind === 'trend' ? TREND_STATS.map(([s]) => s) : ['rate'];
    const unit = baseline.metrics[metric]?.unit ?? '';
    for (const [tags, bd, cd, total] of pairs) {
      for (const stat of stats) {
        const bs = sideOf(baseline, bd, stat, total);
        const cs = sideOf(current, cd, stat, total);
        if (bs === null || cs === null) continue;
        const applying = gates.filter((g) => gateMatches(g, metric, tags, stat));
        for (const g of applying) matched.add(g);
        // Zero in both runs (no 429s, no failures): nothing to compare, and every gate on it holds.
        if (bs.value === 0 && cs.value === 0) continue;
        const worse = worseOf(metric, kind);
        const noise = combinedHalfWidth(bs.halfWidth, cs.halfWidth);
        const changePct =
          bs.value !== 0 ? (100 * (cs.value - bs.value)) / bs.value : cs.value === 0 ? 0 : null;
        const floor = kind === 'trend' && unit === 'ms' ? minChangeMs : 0;
        rows.push({
          metric,
          tags,
          label: labelOf(metric, tags),
          stat,
          unit: kind === 'counter' ? `${unit}/s` : unit,
          baseline: bs.value,
          current: cs.value,
          changePct,
          worse,
          noise,
          noisePct: noise !== null && bs.value !== 0 ? (100 * noise) / bs.value : null,
          noiseSource:
            noise === null
              ? 'noise unknown'
              : (bs.perSecond && cs.perSecond
                  ? 'per-second bootstrap + sampling'
                  : 'sampling (no per-second samples)') +
                (bs.thinTail || cs.thinTail
                  ? `; < ${MIN_TAIL_SAMPLES} samples beyond ${stat}: understated`
                  : ''),
          tolerancePct,
          regression: isRegression(worse, bs.value, cs.value, noise, tolerancePct, floor),
          gates: applying.map((g) => g.expression),
          breached: applying
            .filter((g) => isRegression(worse, bs.value, cs.value, noise, g.maxChangePct, floor))
            .map((g) => g.expression),
        });
      }
    }
  }
  const unmatched = gates.filter((g) => !matched.has(g));
  if (unmatched.length > 0) {
    const metrics = [...inBoth].join(', ');
    throw new UsageError(
      `--max-regression ${unmatched.map((g) => `'${g.expression}'`).join(', ')} matches no figure present in both runs. ` +
        `Metrics in both: ${metrics}.`,
    );
  }
  const sideInfo = (r: RunResult) => ({
    runId: r.runId,
    seed: r.meta?.seed ?? null,
    durationMs: r.durationMs,
  });
  return {
    baseline: sideInfo(baseline),
    current: sideInfo(current),
    tolerancePct,
    rows,
    regressions: rows.filter((r) => r.regression).map((r) => `${r.label} ${r.stat}`),
    breached: rows.flatMap((r) => r.breached.map((e) => `${e} (${r.label} ${r.stat})`)),
  };
}
