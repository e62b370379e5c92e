import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetworkError, NexusApiError, RateLimitedError, TimeoutError } from '../client/errors.js';
import { ServiceError, UserLimitError } from '../service/service-errors.js';
import { httpFailureOf } from './http-errors.js';

const NOW = 1_700_000_000_000;

describe('httpFailureOf', () => {
  it('a user limit: 429, Retry-After rounded up (at least 1), the limit named', () => {
    const err = new UserLimitError('u1', 'chat', {
      allowed: false,
      refusedBy: 'messagesPerHour',
      remaining: 0,
      resetMs: 1_001,
    });
    expect(httpFailureOf(err, NOW)).toMatchObject({
      status: 429,
      retryAfterSeconds: 2,
      rateLimited: 'user',
      body: { error: 'user_rate_limited', limit: 'messagesPerHour' },
    });
  });

  it("a Nexus 429: the server's reset passed on", () => {
    const cause = new RateLimitedError('POST /thread', NOW + 7_000, 429, 'test');
    expect(httpFailureOf(new ServiceError('u1', 'chat', cause), NOW)).toMatchObject({
      status: 429,
      retryAfterSeconds: 7,
      rateLimited: 'upstream',
    });
  });

  it('other upstream failures: 502 with a reason of fixed words, never the message', () => {
    const api = new NexusApiError('POST /thread', 500, { message: 'leaky detail with a key k-123456' });
    const body = httpFailureOf(new ServiceError('u1', 'chat', api), NOW).body;
    expect(body).toEqual({ error: 'upstream_failed', reason: 'status 500' });
    expect(
      httpFailureOf(
        new ServiceError('u1', 'chat', new NetworkError('GET /thread/{id}', 'ECONNRESET', 'maybe')),
        NOW,
      ).body,
    ).toEqual({ error: 'upstream_failed', reason: 'network error ECONNRESET' });
    expect(
      httpFailureOf(new ServiceError('u1', 'chat', new TimeoutError('wait for a reply', 'reply', 10)), NOW)
        .body,
    ).toEqual({ error: 'upstream_failed', reason: 'reply timeout' });
  });

  it('Retry-After is always a whole number of seconds, 1 to 86400, whatever the reset (NaN, past, far)', () => {
    const whole = (seconds: number | undefined) =>
      Number.isSafeInteger(seconds) && seconds! >= 1 && seconds! <= 86_400;
    // A user limit's reset: any number, NaN and infinities included.
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constant(Number.NaN)), (resetMs) => {
        const err = new UserLimitError('u1', 'chat', {
          allowed: false,
          refusedBy: 'messagesPerMinute',
          remaining: 0,
          resetMs,
        });
        expect(whole(httpFailureOf(err, NOW).retryAfterSeconds)).toBe(true);
      }),
    );
    // The API's reset: any time a Date can hold, past or far ahead.
    fc.assert(
      fc.property(fc.integer({ min: -NOW, max: 8e15 - NOW }), (ms) => {
        const cause = new RateLimitedError('POST /thread', NOW + ms, 429, 'test');
        expect(whole(httpFailureOf(new ServiceError('u1', 'chat', cause), NOW).retryAfterSeconds)).toBe(true);
      }),
    );
  });

  it('anything else: 500 without details', () => {
    expect(httpFailureOf(new Error('bug'), NOW)).toEqual({ status: 500, body: { error: 'internal_error' } });
  });
});
