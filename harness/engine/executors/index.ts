/**
 * Executors with k6's names and semantics, and the scheduler that runs a scenario's executors.
 * Executors emit samples (`iterations`, `dropped_iterations`, `iteration_duration`, `vus`,
 * `vus_max`, tagged `executor`) and never aggregate.
 */
export {
  commonFields,
  DEFAULT_GRACEFUL_STOP_MS,
  DEFAULT_MAX_DURATION_MS,
  EXECUTOR_TYPES,
  type ExecutorEnv,
  type ExecutorSummary,
  type ExecutorType,
} from './base.js';
export {
  type ConstantArrivalRateConfig,
  type ConstantArrivalRateInput,
  constantArrivalOffsets,
  constantArrivalRateSchema,
  runConstantArrivalRate,
} from './constant-arrival-rate.js';
export {
  type ConstantVusConfig,
  type ConstantVusInput,
  constantVusSchema,
  runConstantVus,
} from './constant-vus.js';
export {
  DURATION_HINT,
  type DurationInput,
  durationSchema,
  formatDurationMs,
  parseDurationMs,
  positiveDurationSchema,
} from './duration.js';
export {
  type ExecutorConfig,
  type ExecutorInput,
  type ExecutorTiming,
  executorConfigSchema,
  executorTiming,
  resolveExecutorConfig,
  runExecutor,
} from './executor-config.js';
export {
  type PerVuIterationsConfig,
  type PerVuIterationsInput,
  perVuIterationsSchema,
  runPerVuIterations,
} from './per-vu-iterations.js';
export {
  type RampingArrivalRateConfig,
  type RampingArrivalRateInput,
  rampingArrivalIntegral,
  rampingArrivalOffsets,
  rampingArrivalRateSchema,
  runRampingArrivalRate,
} from './ramping-arrival-rate.js';
export {
  type RampingVusConfig,
  type RampingVusInput,
  rampingVusSchema,
  rampingVusSteps,
  runRampingVus,
  type VuStep,
} from './ramping-vus.js';
export { runExecutors } from './run-executors.js';
export {
  runSharedIterations,
  type SharedIterationsConfig,
  type SharedIterationsInput,
  sharedIterationsSchema,
} from './shared-iterations.js';
