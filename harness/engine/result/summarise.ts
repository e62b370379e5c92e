import type { MetricData, TrendData } from '../recorder/cells.js';
import { METRICS } from '../types.js';
import { decodeResultMetrics } from './codec.js';
import { combineMetricData } from './combine.js';
import { counterStats, gaugeStats, rateStats, trendPercentileMs, trendStats } from './stats.js';
import type { CounterStats, GaugeStats, RateStats, RunResult, TrendStats } from './types.js';

/**
 * One named check of a scripted iteration: its assertions' passes and fails (every executor).
 *
 * @example
 * const c: CheckSummary = { name: 'status is 200', passes: 98, fails: 2 };
 */
export interface CheckSummary {
  name: string;
  passes: number;
  fails: number;
}

/**
 * A custom metric of a scripted iteration, every tag set combined.
 *
 * @example
 * const m: CustomMetricSummary = { name: 'logins', kind: 'counter', stats: { count: 12, rate: 1.2 } };
 */
export type CustomMetricSummary =
  | { name: string; kind: 'trend'; stats: TrendStats }
  | { name: string; kind: 'counter'; stats: CounterStats }
  | { name: string; kind: 'rate'; stats: RateStats }
  | { name: string; kind: 'gauge'; stats: GaugeStats };

/**
 * The headline figures of a run, for the terminal summary and progress lines.
 *
 * @example
 * const s: ResultSummary = summarise(result);
 * console.log(`${s.opsPerSec.toFixed(0)} ops/s, p99 ${s.opDurationMs?.p99} ms, ${s.rateLimited} × 429`);
 */
export interface ResultSummary {
  durationSec: number;
  /** Operations completed (`ops`). */
  ops: number;
  opsPerSec: number;
  /** Successful operations per second: (ops − failed ops) ÷ duration. */
  goodput: number;
  /** Operations that failed after all their attempts (`op_failed` added as true). */
  errors: number;
  /** errors ÷ ops; null without operations. */
  errorRatio: number | null;
  /** `op_duration` over every tag set, ms; null when none was recorded. */
  opDurationMs: { p50: number; p95: number; p99: number; max: number } | null;
  /** Attempts on the wire (`http_reqs`). */
  attempts: number;
  /** 429 responses (`rate_limited`). */
  rateLimited: number;
  /** 429s ÷ attempts; null without attempts. */
  rateLimitedRatio: number | null;
  /** Attempts ÷ operations; null without operations. */
  retryAmplification: number | null;
  /** Iterations an arrival-rate executor could not start (`dropped_iterations`). */
  droppedIterations: number;
  /** `check()` of a scripted iteration: every assertion's passes and fails; null when none ran. */
  checks: { passes: number; fails: number; byName: CheckSummary[] } | null;
  /** The scenario's custom metrics that were recorded, by name. */
  custom: CustomMetricSummary[];
  /** Threshold verdicts: how many passed and failed. */
  thresholds: { passed: number; failed: number };
  /** The generator's warnings (see `generatorWarnings`). */
  warnings: string[];
  passed: boolean;
}

function total(data: readonly MetricData[], name: string): number {
  let n = 0;
  for (const d of data) if (d.name === name && d.kind === 'counter') n += d.count;
  return n;
}

/** The `checks` rate by its `check` tag, names sorted; null when no check ran. */
function checksOf(data: readonly MetricData[]): ResultSummary['checks'] {
  const byName = new Map<string, CheckSummary>();
  let passes = 0;
  let fails = 0;
  for (const d of data) {
    if (d.name !== 'checks' || d.kind !== 'rate') continue;
    const name = d.tags.check ?? '(unnamed)';
    let c = byName.get(name);
    if (c === undefined) {
      c = { name, passes: 0, fails: 0 };
      byName.set(name, c);
    }
    c.passes += d.passes;
    c.fails += d.fails;
    passes += d.passes;
    fails += d.fails;
  }
  if (byName.size === 0) return null;
  return { passes, fails, byName: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** Every metric that is not a built-in one, its tag sets combined, names sorted. */
function customOf(data: readonly MetricData[], durationSec: number): CustomMetricSummary[] {
  const byName = new Map<string, MetricData[]>();
  for (const d of data) {
    if (Object.hasOwn(METRICS, d.name)) continue;
    const list = byName.get(d.name);
    if (list) list.push(d);
    else byName.set(d.name, [d]);
  }
  const out: CustomMetricSummary[] = [];
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name)!;
    const all = list.length === 1 ? list[0]! : combineMetricData(list, {});
    if (all.kind === 'trend') out.push({ name, kind: 'trend', stats: trendStats(all) });
    else if (all.kind === 'counter')
      out.push({ name, kind: 'counter', stats: counterStats(all, durationSec) });
    else if (all.kind === 'rate') out.push({ name, kind: 'rate', stats: rateStats(all) });
    else out.push({ name, kind: 'gauge', stats: gaugeStats(all) });
  }
  return out;
}

/**
 * Reduces a result to its headline figures (all tag sets of each metric combined).
 *
 * @example
 * const s = summarise(result);
 * s.goodput; // successful operations per second
 */
export function summarise(result: RunResult): ResultSummary {
  // Of the trends only op_duration and custom ones are summarised: the rest are not decoded
  // (a histogram is an inflate and a 94 KB array, at the end of every run).
  const wanted = Object.entries(result.metrics).filter(
    ([name, metric]) => metric.kind !== 'trend' || name === 'op_duration' || !Object.hasOwn(METRICS, name),
  );
  const data = decodeResultMetrics(Object.fromEntries(wanted));
  const durationSec = result.durationMs / 1_000;
  const ops = total(data, 'ops');
  const attempts = total(data, 'http_reqs');
  const rateLimited = total(data, 'rate_limited');
  let errors = 0;
  for (const d of data) if (d.name === 'op_failed' && d.kind === 'rate') errors += d.passes;
  const durations = data.filter((d): d is TrendData => d.name === 'op_duration' && d.kind === 'trend');
  let opDurationMs: ResultSummary['opDurationMs'] = null;
  if (durations.length > 0) {
    const all = combineMetricData(durations, {}) as TrendData;
    if (all.count > 0) {
      opDurationMs = {
        p50: trendPercentileMs(all, 50),
        p95: trendPercentileMs(all, 95),
        p99: trendPercentileMs(all, 99),
        max: all.maxUs / 1_000,
      };
    }
  }
  const perSec = (n: number) => (durationSec > 0 ? n / durationSec : 0);
  const failed = result.thresholds.filter((t) => !t.ok).length;
  return {
    durationSec,
    ops,
    opsPerSec: perSec(ops),
    goodput: perSec(Math.max(0, ops - errors)),
    errors,
    errorRatio: ops > 0 ? errors / ops : null,
    opDurationMs,
    attempts,
    rateLimited,
    rateLimitedRatio: attempts > 0 ? rateLimited / attempts : null,
    retryAmplification: ops > 0 ? attempts / ops : null,
    droppedIterations: total(data, 'dropped_iterations'),
    checks: checksOf(data),
    custom: customOf(data, durationSec),
    thresholds: { passed: result.thresholds.length - failed, failed },
    warnings: result.generator.warnings,
    passed: result.passed,
  };
}
