import type { MetricData, TrendData } from '../recorder/cells.js';
import { decodeResultMetrics } from './codec.js';
import { combineMetricData } from './combine.js';
import { trendPercentileMs } from './stats.js';
import type { RunResult } from './types.js';

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

/**
 * Reduces a result to its headline figures (all tag sets of each metric combined).
 *
 * @example
 * const s = summarise(result);
 * s.goodput; // successful operations per second
 */
export function summarise(result: RunResult): ResultSummary {
  const data = decodeResultMetrics(result.metrics);
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
    thresholds: { passed: result.thresholds.length - failed, failed },
    warnings: result.generator.warnings,
    passed: result.passed,
  };
}
