import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** A long, moderate load: leaks and slow drifts show up over time, not in a minute. */
export default defineScenario({
  name: 'soak',
  description:
    '10 VUs for 10 min of mixed traffic; latency and errors must stay flat (shorten with --duration)',
  executors: { main: { executor: 'constant-vus', vus: 10, duration: '10m', gracefulStop: '10s' } },
  workload: {
    mix: { poll: 4, sendMessage: 2, getSession: 1, conversation: 1 },
    conversation: { turns: 2, thinkTime: '500ms' },
  },
  mock: { limits: false, assistant: { delay: { type: 'uniform', minMs: 200, maxMs: 800 } } },
  // Per operation: a 2-turn conversation with think time legitimately takes seconds.
  thresholds: {
    'op_duration{op:poll}': ['p(99)<500'],
    'op_duration{op:send_message}': ['p(99)<500'],
    reply_latency: ['p(95)<2000'],
    op_failed: ['rate<0.01'],
    ...AUDIT_THRESHOLDS,
  },
});
