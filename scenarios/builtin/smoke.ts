import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** Two users for ten seconds doing a bit of everything: does the whole path work at all? */
export default defineScenario({
  name: 'smoke',
  description: 'Two VUs for 10 s: conversations, sends, polls and reads; everything must succeed',
  executors: { main: { executor: 'constant-vus', vus: 2, duration: '10s', gracefulStop: '5s' } },
  workload: {
    mix: { conversation: 1, sendMessage: 2, poll: 2, getSession: 1 },
    conversation: { turns: 1 },
  },
  mock: { limits: false, assistant: { delay: { type: 'uniform', minMs: 100, maxMs: 300 } } },
  thresholds: {
    op_failed: ['rate==0'],
    'op_duration{op:send_message}': ['p(95)<500'],
    ...AUDIT_THRESHOLDS,
  },
});
