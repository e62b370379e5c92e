/**
 * Executor configs with k6's names and meanings: their schemas, defaults and planned timing.
 * What runs them is the engine's (`harness/engine/executors/`).
 */
export {
  commonFields,
  DEFAULT_GRACEFUL_STOP_MS,
  DEFAULT_MAX_DURATION_MS,
  EXECUTOR_TYPES,
  type ExecutorType,
  intAtLeast,
  positiveNumber,
} from './common.js';
export {
  type ConstantArrivalRateConfig,
  type ConstantArrivalRateInput,
  constantArrivalRateSchema,
} from './constant-arrival-rate.js';
export { type ConstantVusConfig, type ConstantVusInput, constantVusSchema } from './constant-vus.js';
export {
  type ExecutorConfig,
  type ExecutorInput,
  type ExecutorTiming,
  executorConfigSchema,
  executorTiming,
  resolveExecutorConfig,
} from './executor-config.js';
export {
  type PerVuIterationsConfig,
  type PerVuIterationsInput,
  perVuIterationsSchema,
} from './per-vu-iterations.js';
export {
  type RampingArrivalRateConfig,
  type RampingArrivalRateInput,
  rampingArrivalRateSchema,
} from './ramping-arrival-rate.js';
export { type RampingVusConfig, type RampingVusInput, rampingVusSchema } from './ramping-vus.js';
export {
  type SharedIterationsConfig,
  type SharedIterationsInput,
  sharedIterationsSchema,
} from './shared-iterations.js';
export { type Stripe, stripedCount, stripeSchema } from './stripe.js';
export { vuBoundsProblem, vuPoolFields, withVuPool } from './vu-pool.js';
