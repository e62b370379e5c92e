import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** Arrivals ramp up, hold, and ramp down: where does latency start to bend? */
export default defineScenario({
  name: 'ramp',
  description: 'Arrival rate 0 → 100 ops/s over 20 s, held 20 s, down over 10 s; p99 < 1 s',
  executors: {
    main: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      preAllocatedVUs: 20,
      maxVUs: 300,
      gracefulStop: '5s',
      stages: [
        { duration: '20s', target: 100 },
        { duration: '20s', target: 100 },
        { duration: '10s', target: 0 },
      ],
    },
  },
  workload: { mix: { sendMessage: 3, poll: 2, getSession: 1 } },
  client: { rateLimit: { maxConcurrent: 128 } },
  mock: { limits: false },
  thresholds: {
    op_duration: ['p(99)<1000'],
    op_failed: ['rate<0.01'],
    completion: ['rate>0.99'],
    ...AUDIT_THRESHOLDS,
  },
});
