import type { ConstantVusConfig } from '../../../scenarios/model/executors/constant-vus.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { closedLoop, RunState } from './run-state.js';

/**
 * Runs `constant-vus`: all VUs start at once; at the end of `duration` no new iterations
 * start, in-flight ones get `gracefulStop`, then their signals abort.
 *
 * @example
 * const summary = await runConstantVus(constantVusSchema.parse({ executor: 'constant-vus', vus: 10, duration: '30s' }), env);
 */
export async function runConstantVus(config: ConstantVusConfig, env: ExecutorEnv): Promise<ExecutorSummary> {
  const run = new RunState('constant-vus', env);
  const endMs = run.startedAtMs + config.duration;
  for (let i = 0; i < config.vus; i++) {
    const vu = run.allocateVu();
    void closedLoop(run, vu, () => true);
  }
  run.setVus(config.vus);
  await run.sleepUntilOr(endMs);
  return run.finish(endMs + config.gracefulStop);
}
