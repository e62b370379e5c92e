import { describe, expect, it } from 'vitest';
import { CACHE_TTL_MS } from '../types.js';
import { createMemoryCache } from './memory-cache.js';

/** A clock tests move by hand. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('createMemoryCache', () => {
  it("keeps each family's entries exactly its TTL, on the clock given", async () => {
    const clock = fakeClock();
    const cache = createMemoryCache({ clock });
    await cache.warm([
      ['message:m1', 1],
      ['user:u1', 1],
      ['session:s1', 1],
      ['other', 1],
    ]);
    // Kept while its age is at most the TTL (as Redis keeps a key through its expiry's ms).
    clock.advance(CACHE_TTL_MS.message);
    expect(await cache.get('message:m1')).toBe(1);
    expect(await cache.get('other')).toBe(1);
    clock.advance(1);
    expect(await cache.get('message:m1')).toBeUndefined();
    expect(await cache.get('other')).toBeUndefined();
    expect(await cache.get('user:u1')).toBe(1);
    clock.advance(CACHE_TTL_MS.user - CACHE_TTL_MS.message);
    expect(await cache.get('user:u1')).toBeUndefined();
    expect(await cache.get('session:s1')).toBe(1);
    clock.advance(CACHE_TTL_MS.session - CACHE_TTL_MS.user);
    expect(await cache.get('session:s1')).toBeUndefined();
  });

  it('does not count expired entries as invalidated', async () => {
    const clock = fakeClock();
    const cache = createMemoryCache({ clock });
    await cache.set('session:old', 1, 10);
    await cache.set('session:new', 1, 1_000);
    clock.advance(11);
    expect(await cache.invalidate('session:*')).toBe(1);
  });

  it('refuses a maxEntries that is not a positive integer (lru-cache would take 0 for no bound)', () => {
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(
      /in-memory cache: maxEntries must be a positive integer, got 0/,
    );
  });

  it('drops the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a');
    await cache.set('c', 3);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
  });
});
