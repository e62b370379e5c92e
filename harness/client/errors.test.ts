import { describe, expect, it } from 'vitest';
import { isRateLimitedError, RateLimitedError } from './errors.js';

describe('RateLimitedError', () => {
  it('names the reset time as an ISO date', () => {
    const error = new RateLimitedError('getSession', Date.UTC(2026, 0, 2, 3, 4, 5), 429, 'max-rate-limited');
    expect(error.message).toContain('2026-01-02T03:04:05.000Z');
    expect(error.resetAtMs).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
  });

  it('is still a RateLimitedError for a reset no Date can hold (a hostile X-RateLimit-Reset)', () => {
    // `X-RateLimit-Reset: 9999999999999999` (16 digits, what the header parser accepts) × 1,000.
    for (const resetAtMs of [Number('9999999999999999') * 1_000, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = new RateLimitedError('getSession', resetAtMs, 429, 'the reset is far away');
      expect(isRateLimitedError(error)).toBe(true);
      expect(error.message).toContain('ms since epoch');
    }
  });

  it('says unknown when the server never said', () => {
    expect(new RateLimitedError('getSession', null, null, 'paused').message).toContain('at unknown');
  });
});
