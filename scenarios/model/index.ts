/**
 * The scenario model: what a scenario is, how it is authored (`defineScenario`, JSON) and
 * validated (`validateScenario`, `loadScenarioFile`: every problem at once, with field paths).
 */
export {
  type DurationInput,
  formatDurationMs,
  parseDurationMs,
} from '../../harness/util/duration.js';
export {
  type ClientSettings,
  type ClientSettingsInput,
  clientSettingsSchema,
} from './client-settings.js';
export { defineScenario, type ScenarioDefinition } from './define-scenario.js';
export type { ExecutorConfig, ExecutorInput } from './executors/executor-config.js';
export { findJsonSyntaxError, type JsonSyntaxProblem } from './json-syntax.js';
export { LIMITS } from './limits.js';
export { loadScenarioFile, loadScenarioInput, parseScenarioJson } from './load.js';
export {
  METRICS,
  type MetricCatalogue,
  type MetricDeclarations,
  type MetricKind,
  type MetricName,
  metricCatalogue,
  metricDeclarationsSchema,
} from './metrics.js';
export { type Scenario, type ScenarioInput, scenarioSchema, validateScenario } from './scenario.js';
export type {
  CheckFn,
  Checks,
  ScriptContext,
  ScriptCounter,
  ScriptedIteration,
  ScriptGauge,
  ScriptMetrics,
  ScriptRate,
  ScriptTags,
  ScriptTrend,
  ScriptTypes,
} from './script.js';
export { TARGET_KINDS, type TargetKind } from './target.js';
export { type Thresholds, thresholdObjectSchema, thresholdsSchema } from './thresholds.js';
export { OP_NAMES, type OpName, type Workload, type WorkloadInput, workloadSchema } from './workload.js';
