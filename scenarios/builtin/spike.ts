import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** A sudden burst on a quiet baseline: does the client absorb it, and does it recover? */
export default defineScenario({
  name: 'spike',
  description: '10 ops/s, a spike to 200 ops/s within 2 s held 5 s, back to 10; < 5% errors',
  executors: {
    main: {
      executor: 'ramping-arrival-rate',
      startRate: 10,
      preAllocatedVUs: 20,
      maxVUs: 400,
      gracefulStop: '5s',
      stages: [
        { duration: '10s', target: 10 },
        { duration: '2s', target: 200 },
        { duration: '5s', target: 200 },
        { duration: '2s', target: 10 },
        { duration: '10s', target: 10 },
      ],
    },
  },
  workload: { mix: { sendMessage: 2, poll: 2, getSession: 1 } },
  client: { rateLimit: { maxConcurrent: 128 } },
  mock: { limits: false },
  thresholds: {
    op_duration: ['p(99)<2000'],
    op_failed: ['rate<0.05'],
    // The spike is meant to strain: up to 5 % of iterations may be dropped at its peak.
    completion: ['rate>0.95'],
    ...AUDIT_THRESHOLDS,
  },
});
