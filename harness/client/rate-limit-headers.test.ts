import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, readRateLimitHeaders } from './rate-limit-headers.js';

describe('parseRetryAfter', () => {
  it('reads delta seconds from the time of receipt', () => {
    expect(parseRetryAfter('2', 1_000)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', 1_000)).toBe(1_000);
  });

  it('reads an HTTP date as an absolute time', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', 0)).toBe(Date.UTC(2015, 9, 21, 7, 28, 0));
  });

  it('refuses negative, fractional and free-form values', () => {
    for (const bad of ['-1', '1.5', 'soon', '2015-10-21T07:28:00Z', '', 'Wed, 21 Oct 2015 07:28:00']) {
      expect(parseRetryAfter(bad, 0)).toBeNull();
    }
    expect(parseRetryAfter(undefined, 0)).toBeNull();
  });

  it('round-trips any time written as an HTTP date (to the second)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        const at = seconds * 1_000;
        expect(parseRetryAfter(new Date(at).toUTCString(), 0)).toBe(at);
      }),
    );
  });
});

describe('readRateLimitHeaders', () => {
  it('converts X-RateLimit-Reset seconds to ms and reads Retry-After', () => {
    const headers = {
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1700000002',
      'retry-after': ['1', '5'],
    };
    expect(readRateLimitHeaders(headers, 1_700_000_000_500)).toEqual({
      limit: 10,
      remaining: 0,
      resetAtMs: 1_700_000_002_000,
      retryAfterAtMs: 1_700_000_001_500,
    });
  });

  it('reports absent or invalid headers as null', () => {
    expect(readRateLimitHeaders({ 'x-ratelimit-limit': 'ten' }, 0)).toEqual({
      limit: null,
      remaining: null,
      resetAtMs: null,
      retryAfterAtMs: null,
    });
  });
});
