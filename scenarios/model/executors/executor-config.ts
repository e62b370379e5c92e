import { z } from 'zod';
import { parseWithSchema } from '../../../harness/util/validation.js';
import { EXECUTOR_TYPES } from './common.js';
import { constantArrivalRateSchema } from './constant-arrival-rate.js';
import { constantVusSchema } from './constant-vus.js';
import { perVuIterationsSchema } from './per-vu-iterations.js';
import { rampingArrivalRateSchema } from './ramping-arrival-rate.js';
import { rampingVusSchema } from './ramping-vus.js';
import { sharedIterationsSchema } from './shared-iterations.js';

/**
 * Any executor's config, chosen by its `executor` field (k6's names). Validation reports every
 * problem of the chosen executor; an unknown `executor` names the allowed ones.
 *
 * @example
 * executorConfigSchema.parse({ executor: 'constant-arrival-rate', rate: 50, duration: '2s', preAllocatedVUs: 5 })
 */
export const executorConfigSchema = z.discriminatedUnion(
  'executor',
  [
    constantVusSchema,
    rampingVusSchema,
    perVuIterationsSchema,
    sharedIterationsSchema,
    constantArrivalRateSchema,
    rampingArrivalRateSchema,
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected executor to be one of ${EXECUTOR_TYPES.join(', ')}`
        : undefined,
  },
);
/** A parsed executor config (durations in ms, defaults applied). */
export type ExecutorConfig = z.output<typeof executorConfigSchema>;
/** An executor config as authored in a scenario. */
export type ExecutorInput = z.input<typeof executorConfigSchema>;

/**
 * Validates one executor config and applies its defaults; throws a `ConfigError` listing
 * every problem.
 *
 * @example
 * const config = resolveExecutorConfig({ executor: 'constant-vus', vus: 10, duration: '30s' });
 * config.gracefulStop // 30000
 */
export function resolveExecutorConfig(input: unknown, what = 'executor config'): ExecutorConfig {
  return parseWithSchema(executorConfigSchema, input, what);
}

/** When an executor ends, ms after the start of the run. */
export interface ExecutorTiming {
  /** `startTime`. */
  startMs: number;
  /**
   * When it stops starting iterations: `startTime` + `duration` (or the stages' sum). For the
   * iteration-count executors this is `maxDuration`, an upper bound: they end earlier once
   * their iterations are done.
   */
  endMs: number;
  /** `endMs` + `gracefulStop`: the latest it can still be running. */
  latestEndMs: number;
}

/**
 * The planned timing of an executor (for progress lines, "time left", and run budgets).
 *
 * @example
 * executorTiming(resolveExecutorConfig({ executor: 'constant-vus', duration: '1m', startTime: '10s' }))
 * // { startMs: 10000, endMs: 70000, latestEndMs: 100000 }
 */
export function executorTiming(config: ExecutorConfig): ExecutorTiming {
  let lengthMs: number;
  switch (config.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      lengthMs = config.duration;
      break;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      lengthMs = config.stages.reduce((sum, s) => sum + s.duration, 0);
      break;
    case 'per-vu-iterations':
    case 'shared-iterations':
      lengthMs = config.maxDuration;
      break;
  }
  const endMs = config.startTime + lengthMs;
  return { startMs: config.startTime, endMs, latestEndMs: endMs + config.gracefulStop };
}
