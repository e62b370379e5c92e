/**
 * Executors with k6's names and semantics, and the scheduler that runs a scenario's executors.
 * Executors emit samples (`iterations`, `dropped_iterations`, `iteration_duration`, `vus`,
 * `vus_max`, tagged `executor`) and never aggregate. Their configs (schemas, defaults, timing)
 * are the scenario model's: `scenarios/model/executors/`.
 */
export type { ExecutorEnv, ExecutorSummary } from './base.js';
export { constantArrivalOffsets, runConstantArrivalRate } from './constant-arrival-rate.js';
export { runConstantVus } from './constant-vus.js';
export { runPerVuIterations } from './per-vu-iterations.js';
export {
  rampingArrivalIntegral,
  rampingArrivalOffsets,
  runRampingArrivalRate,
} from './ramping-arrival-rate.js';
export { rampingVusSteps, runRampingVus, type VuStep } from './ramping-vus.js';
export { runExecutor } from './run-executor.js';
export { runExecutors } from './run-executors.js';
export { runSharedIterations } from './shared-iterations.js';
