import type { ScenarioInput } from './scenario.js';

/**
 * Declares a scenario in TypeScript with full type checking and editor completion (each
 * executor's fields follow its `executor` type). It returns its argument unchanged: the
 * scenario is validated, with every error at once, when it is loaded (`loadScenarioFile`) or
 * passed to `validateScenario`.
 *
 * @example
 * // scenarios/steady.scenario.ts
 * export default defineScenario({
 *   name: 'steady',
 *   description: '20 sends/s for 30 s',
 *   executors: {
 *     main: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 10, maxVUs: 50 },
 *   },
 *   workload: { mix: { sendMessage: 1 } },
 *   thresholds: { 'op_duration{op:sendMessage}': ['p(99)<500'] },
 * });
 */
export function defineScenario<T extends ScenarioInput>(scenario: T): T {
  return scenario;
}
