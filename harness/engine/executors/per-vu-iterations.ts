import type { PerVuIterationsConfig } from '../../../scenarios/model/executors/per-vu-iterations.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { RunState, runBoundedIterations } from './run-state.js';

/**
 * Runs `per-vu-iterations`: ends when every VU did its iterations, or at `maxDuration`
 * (then in-flight iterations get `gracefulStop`).
 *
 * @example
 * await runPerVuIterations(perVuIterationsSchema.parse({ executor: 'per-vu-iterations', vus: 5, iterations: 20 }), env);
 */
export async function runPerVuIterations(
  config: PerVuIterationsConfig,
  env: ExecutorEnv,
): Promise<ExecutorSummary> {
  const run = new RunState('per-vu-iterations', env);
  return runBoundedIterations(run, config, (vu) => vu.iterations < config.iterations);
}
