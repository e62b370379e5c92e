import type { MetricDeclarations } from './metrics.js';
import type { ScenarioInput } from './scenario.js';
import type { ScriptedIteration } from './script.js';

/**
 * A scenario as `defineScenario` types it: `iteration`'s `metric.trend(name)` (and
 * `counter`, `rate`, `gauge`) accept exactly the names `metrics` declares with that kind.
 *
 * @example
 * const s: ScenarioDefinition<{ login_time: 'trend' }> = { ...base, metrics: { login_time: 'trend' } };
 */
export type ScenarioDefinition<M extends MetricDeclarations = MetricDeclarations> = Omit<
  ScenarioInput,
  'metrics' | 'iteration'
> & {
  /** Custom metrics of the scripted iteration, name → kind. */
  metrics?: M;
  /** A scripted iteration, run instead of the op mix (`workload`). */
  iteration?: ScriptedIteration<M>;
};

/**
 * Declares a scenario in TypeScript with full type checking and editor completion (each
 * executor's fields follow its `executor` type; a scripted `iteration`'s context is typed,
 * and its custom metric names are the declared ones). It returns its argument unchanged: the
 * scenario is validated, with every error at once, when it is loaded (`loadScenarioFile`) or
 * passed to `validateScenario`.
 *
 * @example
 * // scenarios/steady.scenario.ts: the op mix
 * export default defineScenario({
 *   name: 'steady',
 *   description: '20 sends/s for 30 s',
 *   executors: {
 *     main: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 10, maxVUs: 50 },
 *   },
 *   workload: { mix: { sendMessage: 1 } },
 *   thresholds: { 'op_duration{op:sendMessage}': ['p(99)<500'] },
 * });
 *
 * @example
 * // scenarios/ask.scenario.ts: a scripted iteration
 * export default defineScenario({
 *   name: 'ask',
 *   executors: { main: { executor: 'constant-vus', vus: 2, duration: '10s' } },
 *   metrics: { answer_time: 'trend' },
 *   iteration: async ({ client, check, metric }) => {
 *     const t0 = performance.now();
 *     const { id } = await client.createSession('What is 2+2?');
 *     const reply = await client.waitForReply(id);
 *     metric.trend('answer_time').add(performance.now() - t0);
 *     check(reply, { 'assistant answered': (m) => m.type === 'assistant' });
 *   },
 *   thresholds: { checks: ['rate>0.99'], answer_time: ['p(95)<3000'] },
 * });
 */
export function defineScenario<const M extends MetricDeclarations = Record<never, never>>(
  scenario: ScenarioDefinition<M>,
): ScenarioDefinition<M> {
  return scenario;
}
