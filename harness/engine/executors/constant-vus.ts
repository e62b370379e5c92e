import { z } from 'zod';
import { commonFields, type ExecutorEnv, type ExecutorSummary, intAtLeast } from './base.js';
import { positiveDurationSchema } from './duration.js';
import { closedLoop, RunState } from './run-state.js';

/**
 * `constant-vus` (closed model): `vus` VUs (default 1) loop iterations for `duration`
 * (required). Each iteration's intended start is the moment its VU became free.
 *
 * @example
 * constantVusSchema.parse({ executor: 'constant-vus', vus: 10, duration: '30s' }) // duration: 30000
 */
export const constantVusSchema = z.strictObject({
  executor: z.literal('constant-vus'),
  ...commonFields,
  vus: intAtLeast(1).default(1),
  duration: positiveDurationSchema,
});
/** Parsed `constant-vus` config; durations in ms. */
export type ConstantVusConfig = z.output<typeof constantVusSchema>;
/** `constant-vus` config as authored (durations as `'30s'` or ms). */
export type ConstantVusInput = z.input<typeof constantVusSchema>;

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
