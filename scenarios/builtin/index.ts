import type { ScenarioInput } from '../model/scenario.js';
import chaos from './chaos.js';
import chatApp from './chat-app.js';
import conversation from './conversation.js';
import ramp from './ramp.js';
import rateLimitStorm from './rate-limit-storm.js';
import smoke from './smoke.js';
import soak from './soak.js';
import spike from './spike.js';
import steady from './steady.js';

/**
 * The scenarios that ship with the harness, by name, in the order `nexus-harness list` shows
 * them. Each runs against the local mock by default (chat-app: the chat app in front of it) and
 * has thresholds that make sense for it.
 *
 * @example
 * await runScenario(BUILTIN_SCENARIOS['rate-limit-storm'], { outDir: false });
 */
export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = {
  smoke,
  steady,
  ramp,
  spike,
  'rate-limit-storm': rateLimitStorm,
  chaos,
  soak,
  conversation,
  'chat-app': chatApp,
};
