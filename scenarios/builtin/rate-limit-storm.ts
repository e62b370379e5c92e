import { defineScenario } from '../model/define-scenario.js';
import { AUDIT_THRESHOLDS } from './audit-thresholds.js';

/**
 * The guide's own test, done right: 70 concurrent users each send a message against a key
 * limited to 20 requests per 2 s, with 15% of requests refused by surprise 429s (Retry-After
 * 1 s). Every operation must succeed, with 429s seen and honoured (no request before the
 * announced time), nothing duplicated and nothing lost.
 * `--unsafe-ignore-rate-limits` breaks the client on purpose; the auditor then fails the run.
 */
export default defineScenario({
  name: 'rate-limit-storm',
  description: "The guide's 70 concurrent sends against 20 requests per 2 s: all succeed, 429s honoured",
  executors: {
    storm: {
      executor: 'shared-iterations',
      vus: 70,
      iterations: 70,
      maxDuration: '60s',
      gracefulStop: '10s',
    },
  },
  workload: { mix: { sendMessage: 1 }, sessions: 'per-vu' },
  client: {
    idempotencyKeys: true,
    // No budget known in advance: the client learns the limit from X-RateLimit-* and 429s.
    rateLimit: { maxConcurrent: 70, perMinute: false, perHour: false },
    retry: { maxAttempts: 10, maxRateLimitWaitMs: '30s', maxRateLimitedAttempts: 20 },
  },
  mock: {
    limits: { perMinute: { limit: 20, windowMs: 2_000 } },
    // 429s the client cannot see coming, as when other consumers share the key: each must be
    // honoured (the whole key pauses until Retry-After) and retried without duplicating work.
    faults: [{ type: 'rate-limit', probability: 0.15, retryAfterSec: 1 }],
  },
  thresholds: {
    op_failed: ['rate==0'],
    // Its point: every one of the 70 sends goes through, none is left undone.
    completion: ['rate==1'],
    rate_limited: ['count>0'],
    ...AUDIT_THRESHOLDS,
  },
});
