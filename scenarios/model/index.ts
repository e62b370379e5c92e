/**
 * The scenario model: what a scenario is, how it is authored (`defineScenario`, JSON) and
 * validated (`validateScenario`, `loadScenarioFile`: every problem at once, with field paths).
 */
export {
  type DurationInput,
  formatDurationMs,
  parseDurationMs,
} from '../../harness/engine/executors/duration.js';
export type { ExecutorConfig, ExecutorInput } from '../../harness/engine/executors/executor-config.js';
export {
  type ClientSettings,
  type ClientSettingsInput,
  clientSettingsSchema,
  toClientOptions,
} from './client-settings.js';
export { defineScenario } from './define-scenario.js';
export { findJsonSyntaxError, type JsonSyntaxProblem } from './json-syntax.js';
export { LIMITS } from './limits.js';
export { loadScenarioFile, loadScenarioInput, parseScenarioJson } from './load.js';
export { type Scenario, type ScenarioInput, scenarioSchema, validateScenario } from './scenario.js';
export { TARGET_KINDS, type TargetKind } from './target.js';
export { type Thresholds, thresholdObjectSchema, thresholdsSchema } from './thresholds.js';
export { OP_NAMES, type OpName, type Workload, type WorkloadInput, workloadSchema } from './workload.js';
