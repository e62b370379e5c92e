import { describe, expect, it } from 'vitest';
import {
  type AttemptFailure,
  classifyFailure,
  createRetryPolicy,
  type RetryClass,
  type RetryContext,
} from './retry-policy.js';

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
  /** The first failed attempt of a GET without a key, at time 0, but for `overrides`. */
  const ctx = (overrides: Partial<RetryContext> & Pick<RetryContext, 'failure'>): RetryContext => ({
    method: 'GET',
    hasIdempotencyKey: false,
    attempts: 1,
    rateLimitedAttempts: 0,
    rateLimitReadyAtMs: 0,
    nowMs: 0,
    ...overrides,
  });
  const policy = (options = {}) =>
    createRetryPolicy({
      budget: false,
      backoff: { baseMs: 100, capMs: 1_000 },
      random: () => 0.5,
      ...options,
    });

  it('retries an ambiguous POST only with an idempotency key', () => {
    const p = policy();
    expect(p.decide(ctx({ method: 'POST', failure: maybeSent }))).toEqual({
      retry: false,
      reason: 'ambiguous-post',
    });
    expect(p.decide(ctx({ method: 'POST', failure: maybeSent, hasIdempotencyKey: true }))).toEqual({
      retry: true,
      delayMs: 50,
    });
    expect(p.decide(ctx({ method: 'POST', failure: status(502) }))).toEqual({
      retry: false,
      reason: 'ambiguous-post',
    });
    expect(p.decide(ctx({ method: 'POST', failure: notSent }))).toEqual({ retry: true, delayMs: 50 });
  });

  it('backs off with jitter, growing per attempt, and stops at maxAttempts', () => {
    const p = policy({ maxAttempts: 3 });
    expect(p.decide(ctx({ failure: status(500) }))).toEqual({ retry: true, delayMs: 50 });
    expect(p.decide(ctx({ failure: status(500), attempts: 2 }))).toEqual({ retry: true, delayMs: 100 });
    expect(p.decide(ctx({ failure: status(500), attempts: 3 }))).toEqual({
      retry: false,
      reason: 'max-attempts',
    });
  });

  it('waits at least a 503 Retry-After, and fails beyond maxRateLimitWaitMs', () => {
    const p = policy({ maxRateLimitWaitMs: 5_000 });
    expect(p.decide(ctx({ failure: status(503, 3_000), nowMs: 1_000 }))).toEqual({
      retry: true,
      delayMs: 2_000,
    });
    expect(p.decide(ctx({ failure: status(503, 7_000), nowMs: 1_000 }))).toEqual({
      retry: false,
      reason: 'rate-limit-wait',
    });
  });

  it('lets 429s through to the limiter without delay or attempt count, within the wait limit', () => {
    const p = policy({ maxAttempts: 1, maxRateLimitWaitMs: 5_000, maxRateLimitedAttempts: 3 });
    const limited = (rateLimitedAttempts: number, rateLimitReadyAtMs: number) =>
      ctx({ method: 'POST', failure: status(429), attempts: 0, rateLimitedAttempts, rateLimitReadyAtMs });
    expect(p.decide(limited(1, 4_000))).toEqual({ retry: true, delayMs: 0 });
    expect(p.decide(limited(1, 6_000))).toEqual({ retry: false, reason: 'rate-limit-wait' });
    expect(p.decide(limited(3, 1_000))).toEqual({ retry: false, reason: 'max-rate-limited' });
  });

  it('refuses retries once the budget is spent', () => {
    const p = createRetryPolicy({
      budget: { ratio: 0.5, minRetriesPerSecond: 0, now: () => 0 },
      random: () => 0,
    });
    p.recordOperation();
    p.recordOperation();
    expect(p.decide(ctx({ failure: status(500) }))).toEqual({ retry: true, delayMs: 0 });
    expect(p.decide(ctx({ failure: status(500) }))).toEqual({ retry: false, reason: 'budget' });
    // A non-retryable failure never touches the budget.
    expect(p.decide(ctx({ failure: status(404) }))).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });
});
