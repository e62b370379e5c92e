import type { RunResult, RunVerdict, ThresholdOutcome } from '../result/types.js';
import { type MetricCatalogue, type MetricKind, metricCatalogue } from '../types.js';
import { AUDIT_METRICS, evaluateThresholds } from './evaluate.js';
import { parseThresholds } from './parse.js';

/** What {@link judge} decides over a result. */
export interface Judgement {
  thresholds: ThresholdOutcome[];
  /** Every threshold passed (`n/a` ones aside) and the run was not interrupted by a signal. */
  passed: boolean;
  verdict: RunVerdict;
}

/** The thresholds a result was run with, as `runScenario` stores them (`scenario.thresholds`). */
function storedThresholds(result: RunResult): unknown {
  const scenario = result.scenario as { thresholds?: unknown; resolved?: { thresholds?: unknown } } | null;
  return scenario?.thresholds ?? scenario?.resolved?.thresholds ?? {};
}

const KINDS: ReadonlySet<string> = new Set(['counter', 'trend', 'rate', 'gauge']);

/**
 * The metrics a result's thresholds may name: the built-in ones, the custom ones its scenario
 * declared (`scenario.resolved.metrics`), and any custom metric it holds (a result imported
 * from elsewhere, or merged, may carry no declaration).
 */
function catalogueOf(result: RunResult): MetricCatalogue {
  const declared: Record<string, MetricKind> = {};
  for (const [name, metric] of Object.entries(result.metrics ?? {})) declared[name] = metric.kind;
  const resolved = (result.scenario as { resolved?: { metrics?: unknown } } | null)?.resolved?.metrics;
  if (typeof resolved === 'object' && resolved !== null) {
    for (const [name, kind] of Object.entries(resolved)) {
      if (typeof kind === 'string' && KINDS.has(kind)) declared[name] = kind as MetricKind;
    }
  }
  return metricCatalogue(declared);
}

/**
 * Judges a finished result: evaluates thresholds over its metrics as the end of a run does
 * (no data fails unless `allowNoData`; the audit's metrics are `n/a` when the result has no
 * audit) and gives the verdict. Pure: a fresh result, a merged one (`mergeResults`) and one
 * imported from elsewhere are judged the same way.
 *
 * @example
 * const merged = mergeResults(worker1, worker2);
 * const { verdict, thresholds } = judge(merged); // or judge(merged, { op_failed: ['rate<0.01'] })
 */
export function judge(result: RunResult, thresholds: unknown = storedThresholds(result)): Judgement {
  const parsed = parseThresholds(thresholds, catalogueOf(result));
  let notApplicable: Map<string, string> | undefined;
  if (result.audit === null || result.audit === undefined) {
    const skipped = result.notices?.find((n) => n.startsWith('no audit: '))?.slice('no audit: '.length);
    const why = skipped ?? 'this target has no ledger';
    notApplicable = new Map([...AUDIT_METRICS].map((metric) => [metric, why] as const));
  }
  const outcomes = evaluateThresholds(parsed, result.metrics, result.durationMs / 1_000, {
    final: true,
    notApplicable,
  });
  const interrupted = result.verdict === 'interrupted';
  const passed = !interrupted && outcomes.every((o) => o.ok);
  return {
    thresholds: outcomes,
    passed,
    verdict: interrupted ? 'interrupted' : passed ? 'passed' : 'failed',
  };
}
