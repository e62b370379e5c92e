import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** A constant arrival rate (open model): latency measured from each op's intended start. */
export default defineScenario({
  name: 'steady',
  description: '50 ops/s for 30 s (open model): sends, polls and reads; p99 < 500 ms, < 1% errors',
  executors: {
    main: {
      executor: 'constant-arrival-rate',
      rate: 50,
      duration: '30s',
      preAllocatedVUs: 20,
      maxVUs: 200,
      gracefulStop: '5s',
    },
  },
  workload: { mix: { sendMessage: 3, poll: 2, getSession: 1 } },
  client: { rateLimit: { maxConcurrent: 64 } },
  mock: { limits: false },
  thresholds: {
    op_duration: ['p(99)<500'],
    op_failed: ['rate<0.01'],
    dropped_iterations: ['count<10'],
    // An open model may drop a few iterations; more than 1 % undone is a run that did not happen.
    completion: ['rate>0.99'],
    ...AUDIT_THRESHOLDS,
  },
});
