/**
 * The parts of a result document that an import fills the same way whatever k6 wrote: no
 * generator figures (k6 measured itself; we did not), no audit (no ledger), and the verdict
 * from `judge()` or from k6's own threshold outcomes.
 */
import type { GeneratorReport } from '../../../engine/recorder/recorder.js';
import type { SeriesData } from '../../../engine/recorder/series.js';
import {
  RESULT_SCHEMA,
  RESULT_VERSION,
  type ResultMetrics,
  type RunResult,
  type ThresholdOutcome,
} from '../../../engine/result/types.js';

/** What a k6 import knows about the run. */
export interface ImportedRun {
  runId: string;
  startedAtMs: number;
  durationMs: number;
  metrics: ResultMetrics;
  series: SeriesData;
  /** Stored as the result's `scenario`: where `judge()` finds the thresholds again. */
  scenario: unknown;
  /** Stored as the result's `target`: what was imported, from where. */
  target: unknown;
  notices: string[];
}

/**
 * An empty generator report: k6 did the generating, and its own health is not in its output.
 *
 * @example
 * NO_GENERATOR.samples; // 0
 */
export const NO_GENERATOR: GeneratorReport = Object.freeze({
  eventLoopDelayMs: null,
  cpu: { meanCores: 0, peakWindowCores: 0, userMs: 0, systemMs: 0 },
  samples: 0,
  loadWindow: null,
  wholeRun: { elapsedMs: 0, eventLoopDelayMs: null, cpu: { meanCores: 0, userMs: 0, systemMs: 0 } },
  warnings: [],
}) as GeneratorReport;

/**
 * An empty series (a summary has no time axis).
 *
 * @example
 * emptySeries().ops.length; // 0
 */
export function emptySeries(): SeriesData {
  return { intervalSec: 1, tSec: [], ops: [], errors: [], rateLimited: [], p50Ms: [], p99Ms: [] };
}

/**
 * The result document of an imported run with its threshold outcomes: `passed` when every
 * outcome is ok.
 *
 * @example
 * const result = importedResult(run, judge(draft, thresholds).thresholds);
 */
export function importedResult(run: ImportedRun, thresholds: ThresholdOutcome[]): RunResult {
  const passed = thresholds.every((t) => t.ok);
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    runId: run.runId,
    startedAt: new Date(run.startedAtMs).toISOString(),
    endedAt: new Date(run.startedAtMs + run.durationMs).toISOString(),
    durationMs: run.durationMs,
    interrupted: false,
    scenario: run.scenario,
    target: run.target,
    metrics: run.metrics,
    series: run.series,
    generator: NO_GENERATOR,
    audit: null,
    thresholds,
    passed,
    verdict: passed ? 'passed' : 'failed',
    completion: null,
    notices: run.notices,
  };
}
