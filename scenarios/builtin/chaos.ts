import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/** Faults of every kind the network throws: retries must hide them without duplicating work. */
export default defineScenario({
  name: 'chaos',
  description:
    '20 ops/s for 30 s through 5% resets (some after the effect), 5% 503s, stalls and latency spikes',
  executors: {
    main: {
      executor: 'constant-arrival-rate',
      rate: 20,
      duration: '30s',
      preAllocatedVUs: 20,
      maxVUs: 100,
      gracefulStop: '10s',
    },
  },
  workload: { mix: { sendMessage: 3, createSession: 1, poll: 2 } },
  client: {
    idempotencyKeys: true,
    retry: { maxAttempts: 6, backoff: { baseMs: 50, capMs: 1_000 } },
    timeouts: { attemptTimeoutMs: '2s' },
  },
  mock: {
    limits: false,
    faults: [
      { type: 'latency', probability: 0.1, delay: { type: 'lognormal', medianMs: 50, sigma: 1 } },
      { type: 'reset', probability: 0.025 },
      { type: 'reset', probability: 0.025, afterEffect: true },
      { type: 'error', status: 503, probability: 0.05 },
      { type: 'stall', probability: 0.005 },
    ],
  },
  thresholds: { op_failed: ['rate<0.01'], completion: ['rate>0.99'], ...AUDIT_THRESHOLDS },
});
