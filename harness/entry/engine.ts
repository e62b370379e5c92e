/**
 * `nexus-harness/engine`: run scenarios from code. The scenario model (`defineScenario`,
 * `validateScenario`, `loadScenarioFile`: every problem at once, with field paths), the run
 * (`runScenario`, handed the target its load goes to), the targets (`mockTarget`,
 * `mswTarget`, `urlTarget`, `pactTarget`, `realTarget`, `appTarget`, `targetFor`), the built-in
 * scenarios, thresholds with k6's grammar, `judge` (the verdict of a result) and the result helpers
 * (`parseResult`, `mergeResults`, `summarise`, …), with the errors and type guards of every
 * entry point.
 *
 * Importing it loads neither MSW, Pact, fastify nor ioredis: `mswTarget`, `pactTarget` and
 * `appTarget` load theirs when a run opens them, and the client loads ioredis only to share a
 * budget through Redis.
 *
 * @example
 * import { defineScenario, mockTarget, runScenario } from 'nexus-harness/engine';
 *
 * const scenario = defineScenario({
 *   name: 'hello',
 *   executors: { main: { executor: 'constant-vus', vus: 2, duration: '5s' } },
 *   workload: { mix: { sendMessage: 1 } },
 *   mock: { limits: false }, // the mock's default is the real API's 60 requests per minute
 *   thresholds: { op_failed: ['rate==0'] },
 * });
 * const result = await runScenario(scenario, { target: mockTarget() });
 * console.log(result.verdict); // 'passed', 'failed' or 'interrupted'
 *
 * @module
 */

export { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
// The scenario model, as its own barrel curates it.
export * from '../../scenarios/model/index.js';
export { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchema } from '../../scenarios/model/json-schema.js';

// The run.
export type { AuditReport } from '../engine/auditor/audit.js';
// The result document.
export {
  type CounterEntry,
  type CounterStats,
  counterStats,
  type GaugeEntry,
  type GaugeStats,
  gaugeStats,
  mergeResults,
  parseResult,
  type RateEntry,
  type RateStats,
  RESULT_SCHEMA,
  RESULT_VERSION,
  type ResultGenerator,
  type ResultMetric,
  type ResultMetrics,
  type ResultSeries,
  type ResultSetup,
  type ResultSummary,
  type RunResult,
  rateStats,
  runResultSchema,
  summarise,
  type ThresholdOutcome,
  type TrendEntry,
  type TrendFigures,
  type TrendStats,
  trendPercentileMs,
  trendStats,
} from '../engine/result/index.js';
export type { RunVerdict, ThresholdStatus } from '../engine/result/types.js';
export type { ProgressSnapshot, RunPhase } from '../engine/run/progress.js';
export { type RunOptions, runScenario } from '../engine/run/run-scenario.js';
// Thresholds and the verdict.
export {
  type EvaluateOptions,
  evaluateThresholds,
  formatThresholdExpression,
  type Judgement,
  judge,
  type ParsedThreshold,
  parseThresholdExpression,
  parseThresholdKey,
  parseThresholds,
  type ThresholdExpression,
  type ThresholdKey,
  thresholdsPassed,
} from '../engine/thresholds/index.js';
// What a scripted iteration's `client` is; exporting it also brings in the declaration that
// types `defineScenario({ iteration })`'s context for package users.
export type { ScenarioClient } from '../engine/workload/script-client.js';
// Where the load goes.
export {
  type AppTargetOptions,
  adminLedgerReader,
  appTarget,
  mockTarget,
  mswTarget,
  type OpenTarget,
  type PactTargetOptions,
  pactTarget,
  REAL_BASE_URL,
  REAL_QUOTA,
  type RealTargetOptions,
  realTarget,
  type Target,
  type TargetBudgets,
  type TargetChoice,
  targetFor,
  type UrlTargetOptions,
  urlTarget,
} from '../targets/index.js';

export * from './errors.js';
