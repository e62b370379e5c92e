import { describe, expect, it } from 'vitest';
import { CACHE_TTL_MS } from '../types.js';
import { cacheFamilyOf, cacheTtlFor } from './family.js';

describe('cacheFamilyOf', () => {
  it('names the family by the exact prefix before the first colon', () => {
    expect(cacheFamilyOf('session:u1')).toBe('session');
    expect(cacheFamilyOf('message:m1:extra')).toBe('message');
    expect(cacheFamilyOf('user:')).toBe('user');
    // The guide's startsWith took these for session and message keys.
    expect(cacheFamilyOf('sessions:u1')).toBe('default');
    expect(cacheFamilyOf('messages:m1')).toBe('default');
    expect(cacheFamilyOf('session')).toBe('default');
    expect(cacheFamilyOf('')).toBe('default');
  });
});

describe('cacheTtlFor', () => {
  it("gives the family's TTL, or the one asked for", () => {
    expect(cacheTtlFor('session:u1')).toBe(CACHE_TTL_MS.session);
    expect(cacheTtlFor('user:u1')).toBe(30 * 60 * 1000);
    expect(cacheTtlFor('x')).toBe(5 * 60 * 1000);
    expect(cacheTtlFor('session:u1', 10)).toBe(10);
  });

  it('refuses a TTL that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cacheTtlFor('k', bad)).toThrow(TypeError);
    }
  });
});
