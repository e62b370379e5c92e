import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** Whole conversations with the assistant's real 1–3 s reply delay: what users actually wait for. */
export default defineScenario({
  name: 'conversation',
  description: 'Up to 5 VUs holding 3-turn conversations with a 1–3 s assistant; reply p95 < 5 s',
  executors: {
    main: {
      executor: 'ramping-vus',
      startVUs: 1,
      gracefulStop: '10s',
      stages: [
        { duration: '10s', target: 5 },
        { duration: '30s', target: 5 },
      ],
    },
  },
  workload: { mix: { conversation: 1 }, conversation: { turns: 3, thinkTime: '200ms' } },
  mock: { limits: { perMinute: { limit: 1_200 }, perHour: { limit: 20_000 } } },
  // The reply takes 1–3 s; polling with backoff adds up to a second or two on top.
  thresholds: { reply_latency: ['p(95)<5000'], op_failed: ['rate<0.01'], ...AUDIT_THRESHOLDS },
});
