import { ERROR_CODES, HarnessError } from '../../util/errors.js';
import type { AuditReport } from '../auditor/audit.js';
import { mergeAudits } from '../auditor/merge-audits.js';
import type { MetricData } from '../recorder/cells.js';
import type { GeneratorReport } from '../recorder/recorder.js';
import { judge } from '../thresholds/judge.js';
import { decodeResultMetrics, encodeMetricData } from './codec.js';
import { combineMetricData } from './combine.js';
import {
  checkMergeable,
  mergeCompletion,
  mergeScenario,
  mergeSetup,
  withAuditGauges,
} from './merge-accounts.js';
import { mergeSeries } from './merge-series.js';
import { RESULT_SCHEMA, RESULT_VERSION, type ResultMetrics, type RunResult } from './types.js';

/**
 * Merges the `metrics` of several results: the same (metric, tag set) from each is combined
 * (histograms added, counters and rates summed, gauges as `combineMetricData` says), and
 * counter rates are recomputed per second of `elapsedSec`.
 *
 * @example
 * const metrics = mergeResultMetrics([a.metrics, b.metrics], 60);
 */
export function mergeResultMetrics(all: readonly ResultMetrics[], elapsedSec: number): ResultMetrics {
  const groups = new Map<string, MetricData[]>();
  for (const metrics of all) {
    for (const d of decodeResultMetrics(metrics)) {
      const id = `${d.name}${d.key}`;
      const group = groups.get(id);
      if (group) group.push(d);
      else groups.set(id, [d]);
    }
  }
  const combined = [...groups.values()].map((items) => combineMetricData(items, items[0]!.tags));
  return encodeMetricData(combined, elapsedSec);
}

/** The worst of several generators' health, and every distinct warning. */
function mergeGenerators(all: readonly GeneratorReport[]): GeneratorReport {
  const loops = all.map((g) => g.eventLoopDelayMs).filter((l) => l !== null);
  return {
    eventLoopDelayMs:
      loops.length === 0
        ? null
        : {
            p50: Math.max(...loops.map((l) => l.p50)),
            p99: Math.max(...loops.map((l) => l.p99)),
            max: Math.max(...loops.map((l) => l.max)),
            mean: Math.max(...loops.map((l) => l.mean)),
          },
    cpu: {
      meanCores: Math.max(...all.map((g) => g.cpu.meanCores)),
      peakWindowCores: Math.max(...all.map((g) => g.cpu.peakWindowCores)),
      userMs: all.reduce((n, g) => n + g.cpu.userMs, 0),
      systemMs: all.reduce((n, g) => n + g.cpu.systemMs, 0),
    },
    samples: all.reduce((n, g) => n + g.samples, 0),
    warnings: [...new Set(all.flatMap((g) => g.warnings))],
  };
}

/**
 * Merges the results of one run split over several processes or machines into one result.
 *
 * - `metrics`: exact for trends (encoded histograms decoded and added), counters and rates
 *   (summed); gauges per `combineMetricData`; counter rates per second of the merged duration.
 * - `startedAt`/`endedAt`: earliest and latest; `durationMs` the span between them.
 * - `series`: lined up by wall clock (see `mergeSeries`).
 * - `generator`: the worst process's figures (CPU and loop delay are per process), CPU time
 *   summed, warnings de-duplicated.
 * - `audit`: the runs' audits merged (`mergeAudits`: findings summed, ratios from the sums).
 *   The `retry_amplification` gauge is the merged audit's ratio, not the largest part's.
 * - `completion` and `setup`: summed (per executor and in total); the executors' summaries in
 *   `scenario.executors` summed by name.
 * - `errorExamples`: the first example of each reason, from the first result that has one.
 * - `runId`, `scenario` (so its thresholds), `target`: the first result's; for the segments of
 *   a split run (`run --segment`, `--workers`) `scenario.resolved` is the whole scenario they
 *   are parts of. `interrupted`: any; `notices`: all, de-duplicated.
 * - `thresholds`, `passed`, `verdict`: judged again over the merged metrics ({@link judge}),
 *   exactly as a single run's are; interrupted if any input was.
 *
 * Throws `NH_RESULT_MERGE` for results of another schema or version, metrics of different
 * kinds, runs of different scenarios (named), or segments that do not make a whole (see
 * `checkMergeable`: one twice, some missing, mixed with whole runs).
 *
 * @example
 * const merged = mergeResults(worker1, worker2, worker3);
 * merged.verdict; // 'passed' | 'failed' | 'interrupted', judged over the merged metrics
 */
export function mergeResults(first: RunResult, ...rest: RunResult[]): RunResult {
  const all = [first, ...rest];
  for (const r of all) {
    if (r.schema !== RESULT_SCHEMA || r.version !== RESULT_VERSION) {
      throw new HarnessError(
        ERROR_CODES.resultMerge,
        `Failed to merge results: run ${r.runId} is ${String(r.schema)} v${String(r.version)}, ` +
          `expected ${RESULT_SCHEMA} v${RESULT_VERSION}. Re-run it with this version of nexus-harness.`,
      );
    }
  }
  checkMergeable(all);
  const starts = all.map((r) => Date.parse(r.startedAt));
  const ends = all.map((r, i) => {
    const end = Date.parse(r.endedAt);
    return Number.isNaN(end) ? starts[i]! + r.durationMs : end;
  });
  const startMs = Math.min(...starts);
  const endMs = Math.max(...ends);
  const durationMs =
    all.length === 1 ? first.durationMs : Math.max(endMs - startMs, ...all.map((r) => r.durationMs));
  const merged: RunResult = {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    runId: first.runId,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(endMs).toISOString(),
    durationMs,
    interrupted: all.some((r) => r.interrupted),
    scenario: mergeScenario(all),
    target: first.target,
    metrics: mergeResultMetrics(
      all.map((r) => r.metrics),
      durationMs / 1_000,
    ),
    series: mergeSeries(all.map((r, i) => ({ series: r.series, startedAtMs: starts[i]! }))),
    generator: mergeGenerators(all.map((r) => r.generator)),
    audit: mergeAudits(all.map((r) => r.audit as AuditReport | null)),
    thresholds: [],
    passed: false,
    verdict: all.some((r) => r.verdict === 'interrupted') ? 'interrupted' : undefined,
    notices: [...new Set(all.flatMap((r) => r.notices ?? []))],
    completion: all.length === 1 ? first.completion : mergeCompletion(all.map((r) => r.completion)),
  };
  const setup = all.length === 1 ? first.setup : mergeSetup(all.map((r) => r.setup));
  if (setup !== undefined) merged.setup = setup;
  // The first example of each error reason, in the order the results are given.
  const examples = Object.assign({}, ...all.map((r) => r.errorExamples ?? {}).reverse());
  if (Object.keys(examples).length > 0) merged.errorExamples = examples;
  if (all.length > 1) merged.metrics = withAuditGauges(merged.metrics, merged.audit as AuditReport | null);
  const judgement = judge(merged);
  merged.thresholds = judgement.thresholds;
  merged.passed = judgement.passed;
  merged.verdict = judgement.verdict;
  return merged;
}
