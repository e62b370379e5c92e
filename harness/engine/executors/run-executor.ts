import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { runConstantArrivalRate } from './constant-arrival-rate.js';
import { runConstantVus } from './constant-vus.js';
import { runPerVuIterations } from './per-vu-iterations.js';
import { runRampingArrivalRate } from './ramping-arrival-rate.js';
import { runRampingVus } from './ramping-vus.js';
import { runSharedIterations } from './shared-iterations.js';

/**
 * Runs one executor from now on (its `startTime` is {@link runExecutors}' business).
 *
 * @example
 * const summary = await runExecutor(resolveExecutorConfig({ executor: 'shared-iterations', vus: 4, iterations: 100 }), env);
 */
export function runExecutor(config: ExecutorConfig, env: ExecutorEnv): Promise<ExecutorSummary> {
  switch (config.executor) {
    case 'constant-vus':
      return runConstantVus(config, env);
    case 'ramping-vus':
      return runRampingVus(config, env);
    case 'per-vu-iterations':
      return runPerVuIterations(config, env);
    case 'shared-iterations':
      return runSharedIterations(config, env);
    case 'constant-arrival-rate':
      return runConstantArrivalRate(config, env);
    case 'ramping-arrival-rate':
      return runRampingArrivalRate(config, env);
  }
}
