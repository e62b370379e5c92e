import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/**
 * The chat app (`harness/app/`) under load: 20 users chat through it (POST /chat) at 10 a
 * second for 5 s, the app in front of the harness's mock, both started for the run. The app
 * must answer every chat (no 5xx of its own or passed on from upstream: `app_5xx`), and the
 * audit, reading the mock's ledger through the op ids the app forwards, must find every
 * message sent once. The app's per-user limits are set high enough for this load (the
 * guide's 10 a minute would refuse it once `--rate` or `--duration` grows it).
 */
export default defineScenario({
  name: 'chat-app',
  description: '20 users chat through the chat app at 10/s for 5 s (target app); no 5xx, audit clean',
  target: 'app',
  executors: {
    main: {
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: '5s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      gracefulStop: '10s',
    },
  },
  workload: { mix: { chat: 1 }, chat: { users: 20 } },
  app: { limits: { messagesPerMinute: 6_000, messagesPerHour: 100_000, sessionsPerDay: 1_000 } },
  mock: { limits: false, assistant: { delay: { type: 'uniform', minMs: 100, maxMs: 300 } } },
  thresholds: {
    app_5xx: ['rate==0'],
    op_failed: ['rate==0'],
    completion: ['rate>0.99'],
    'reply_latency{op:chat}': ['p(95)<2000'],
    ...AUDIT_THRESHOLDS,
  },
});
