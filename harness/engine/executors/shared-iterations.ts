import type { SharedIterationsConfig } from '../../../scenarios/model/executors/shared-iterations.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { RunState, runBoundedIterations } from './run-state.js';

/**
 * Runs `shared-iterations`: ends when all `iterations` ran, or at `maxDuration` (then
 * in-flight iterations get `gracefulStop`).
 *
 * @example
 * await runSharedIterations(sharedIterationsSchema.parse({ executor: 'shared-iterations', vus: 10, iterations: 200 }), env);
 */
export async function runSharedIterations(
  config: SharedIterationsConfig,
  env: ExecutorEnv,
): Promise<ExecutorSummary> {
  const run = new RunState('shared-iterations', env);
  let claimed = 0;
  return runBoundedIterations(run, config, () => {
    if (claimed >= config.iterations) return false;
    claimed++;
    return true;
  });
}
