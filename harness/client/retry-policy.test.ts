import { describe, expect, it } from 'vitest';
import { type AttemptFailure, classifyFailure, createRetryPolicy, type RetryClass } from './retry-policy.js';

const status = (s: number, retryAfterAtMs: number | null = null): AttemptFailure => ({
  kind: 'status',
  status: s,
  retryAfterAtMs,
});
const notSent: AttemptFailure = { kind: 'error', requestSent: 'no' };
const maybeSent: AttemptFailure = { kind: 'error', requestSent: 'maybe' };

describe('classifyFailure: the classification table', () => {
  const rows: [string, AttemptFailure, RetryClass, RetryClass][] = [
    // what went wrong,               failure,        GET,     POST
    ['429', status(429), 'retry', 'retry'],
    ['503', status(503), 'retry', 'retry'],
    ['500', status(500), 'retry', 'retry-with-idempotency-key'],
    ['502', status(502), 'retry', 'retry-with-idempotency-key'],
    ['504', status(504), 'retry', 'retry-with-idempotency-key'],
    ['400', status(400), 'never', 'never'],
    ['401', status(401), 'never', 'never'],
    ['404', status(404), 'never', 'never'],
    ['409', status(409), 'never', 'never'],
    ['network, provably not sent', notSent, 'retry', 'retry'],
    ['network or timeout, maybe sent', maybeSent, 'retry', 'retry-with-idempotency-key'],
  ];
  it.each(rows)('%s → GET %s / POST %s', (_, failure, get, post) => {
    expect(classifyFailure('GET', failure)).toBe(get);
    expect(classifyFailure('POST', failure)).toBe(post);
  });
});

describe('createRetryPolicy.decide', () => {
  const counts = (attempts: number, rateLimitedAttempts = 0) => ({ attempts, rateLimitedAttempts });
  const policy = (options = {}) =>
    createRetryPolicy({
      budget: false,
      backoff: { baseMs: 100, capMs: 1_000 },
      random: () => 0.5,
      ...options,
    });

  it('retries an ambiguous POST only with an idempotency key', () => {
    const p = policy();
    expect(p.decide('POST', maybeSent, false, counts(1), 0, 0)).toEqual({
      retry: false,
      reason: 'ambiguous-post',
    });
    expect(p.decide('POST', maybeSent, true, counts(1), 0, 0)).toEqual({ retry: true, delayMs: 50 });
    expect(p.decide('POST', status(502), false, counts(1), 0, 0)).toEqual({
      retry: false,
      reason: 'ambiguous-post',
    });
    expect(p.decide('POST', notSent, false, counts(1), 0, 0)).toEqual({ retry: true, delayMs: 50 });
  });

  it('backs off with jitter, growing per attempt, and stops at maxAttempts', () => {
    const p = policy({ maxAttempts: 3 });
    expect(p.decide('GET', status(500), false, counts(1), 0, 0)).toEqual({ retry: true, delayMs: 50 });
    expect(p.decide('GET', status(500), false, counts(2), 0, 0)).toEqual({ retry: true, delayMs: 100 });
    expect(p.decide('GET', status(500), false, counts(3), 0, 0)).toEqual({
      retry: false,
      reason: 'max-attempts',
    });
  });

  it('waits at least a 503 Retry-After, and fails beyond maxRateLimitWaitMs', () => {
    const p = policy({ maxRateLimitWaitMs: 5_000 });
    expect(p.decide('GET', status(503, 3_000), false, counts(1), 0, 1_000)).toEqual({
      retry: true,
      delayMs: 2_000,
    });
    expect(p.decide('GET', status(503, 7_000), false, counts(1), 0, 1_000)).toEqual({
      retry: false,
      reason: 'rate-limit-wait',
    });
  });

  it('lets 429s through to the limiter without delay or attempt count, within the wait limit', () => {
    const p = policy({ maxAttempts: 1, maxRateLimitWaitMs: 5_000, maxRateLimitedAttempts: 3 });
    expect(p.decide('POST', status(429), false, counts(0, 1), 4_000, 0)).toEqual({ retry: true, delayMs: 0 });
    expect(p.decide('POST', status(429), false, counts(0, 1), 6_000, 0)).toEqual({
      retry: false,
      reason: 'rate-limit-wait',
    });
    expect(p.decide('POST', status(429), false, counts(0, 3), 1_000, 0)).toEqual({
      retry: false,
      reason: 'max-rate-limited',
    });
  });

  it('refuses retries once the budget is spent', () => {
    const p = createRetryPolicy({
      budget: { ratio: 0.5, minRetriesPerSecond: 0, now: () => 0 },
      random: () => 0,
    });
    p.recordOperation();
    p.recordOperation();
    expect(p.decide('GET', status(500), false, counts(1), 0, 0)).toEqual({ retry: true, delayMs: 0 });
    expect(p.decide('GET', status(500), false, counts(1), 0, 0)).toEqual({ retry: false, reason: 'budget' });
    // A non-retryable failure never touches the budget.
    expect(p.decide('GET', status(404), false, counts(1), 0, 0)).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });
});
