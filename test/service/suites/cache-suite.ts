import { afterEach, describe, expect, it } from 'vitest';
import { escapeGlob } from '../../../harness/service/cache/glob.js';
import { isStoreError } from '../../../harness/service/store-errors.js';
import type { ServiceCache } from '../../../harness/service/types.js';
import { eventually } from './eventually.js';

/** How a suite gets a fresh, empty cache (a new prefix in Redis) for each test. */
export type MakeCache = () => Promise<ServiceCache>;

/**
 * The {@link ServiceCache} contract, run against each implementation: the in-memory and the
 * Redis cache must pass the same cases.
 *
 * @example
 * describe('memory', () => cacheSuite(async () => createMemoryCache()));
 */
export function cacheSuite(make: MakeCache): void {
  const open: ServiceCache[] = [];
  const fresh = async () => {
    const cache = await make();
    open.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  describe('ServiceCache contract', () => {
    it('misses, then hits what was set, and counts both', async () => {
      const cache = await fresh();
      expect(await cache.get('user:u1')).toBeUndefined();
      await cache.set('user:u1', { name: 'Ada', roles: ['admin'] });
      expect(await cache.get('user:u1')).toEqual({ name: 'Ada', roles: ['admin'] });
      expect(await cache.get('user:u2')).toBeUndefined();
      expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
    });

    it('counts a cached null, 0, false or empty string as a hit (the guide took them for misses)', async () => {
      const cache = await fresh();
      const values = [null, 0, false, ''] as const;
      for (const [i, v] of values.entries()) await cache.set(`k${i}`, v);
      for (const [i, v] of values.entries()) expect(await cache.get(`k${i}`)).toBe(v);
      expect(cache.stats()).toEqual({ hits: 4, misses: 0 });
    });

    it('keeps the JSON of a value: later changes to the object do not reach the cache', async () => {
      const cache = await fresh();
      const value = { at: new Date(0), list: [1] };
      await cache.set('message:m1', value);
      value.list.push(2);
      expect(await cache.get('message:m1')).toEqual({ at: '1970-01-01T00:00:00.000Z', list: [1] });
    });

    it('refuses a value that is not JSON and a TTL that is not a positive integer', async () => {
      const cache = await fresh();
      await expect(cache.set('k', undefined)).rejects.toThrow(TypeError);
      await expect(cache.set('k', () => 1)).rejects.toThrow(/not JSON/);
      await expect(cache.set('k', 1, 0)).rejects.toThrow(/positive integer, got 0/);
      await expect(cache.set('k', 1, 1.5)).rejects.toThrow(/positive integer/);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('refuses a BigInt or a circular value, naming the key and why', async () => {
      const cache = await fresh();
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(cache.set('user:big', 1n)).rejects.toThrow(
        /Failed to cache "user:big": the value is not JSON \(.*BigInt.*\)/,
      );
      await expect(cache.set('user:loop', circular)).rejects.toThrow(
        /Failed to cache "user:loop": the value is not JSON \(.*circular.*\)/,
      );
    });

    it('warms all or nothing: one bad value keeps none of the entries', async () => {
      const cache = await fresh();
      await expect(
        cache.warm([
          ['user:u1', 1],
          ['user:u2', 2n],
        ]),
      ).rejects.toThrow(/"user:u2"/);
      expect(await cache.get('user:u1')).toBeUndefined();
    });

    it('replaces and deletes', async () => {
      const cache = await fresh();
      await cache.set('k', 1);
      await cache.set('k', 2);
      expect(await cache.get('k')).toBe(2);
      await cache.delete('k');
      await cache.delete('never-set');
      expect(await cache.get('k')).toBeUndefined();
    });

    it('forgets an entry after its TTL, and keeps one with a long TTL', async () => {
      const cache = await fresh();
      await cache.set('short', 'x', 30);
      await cache.set('long', 'y', 60_000);
      await eventually(async () => expect(await cache.get('short')).toBeUndefined());
      expect(await cache.get('long')).toBe('y');
    });

    it('invalidates the keys a glob matches, counts them, and leaves the rest', async () => {
      const cache = await fresh();
      await cache.warm([
        ['session:u1', 1],
        ['session:u2', 2],
        ['sessionX:u3', 3],
        ['user:u1', 4],
        ['message:a1', 5],
        ['message:a12', 6],
      ]);
      expect(await cache.invalidate('session:*')).toBe(2);
      expect(await cache.invalidate('message:a?')).toBe(1);
      expect(await cache.invalidate('nothing:*')).toBe(0);
      const left = await Promise.all(
        ['session:u1', 'session:u2', 'sessionX:u3', 'user:u1', 'message:a1', 'message:a12'].map((k) =>
          cache.get(k),
        ),
      );
      expect(left).toEqual([undefined, undefined, 3, 4, undefined, 6]);
    });

    it('takes [ and ] in a glob literally, and \\ as an escape (only * and ? are wild)', async () => {
      const cache = await fresh();
      await cache.warm([
        ['tag:[a]', 1],
        ['tag:a', 2],
        ['tag:b\\c', 3],
        ['tag:bc', 4],
        ['tag:*', 5],
        ['tag:x', 6],
      ]);
      expect(await cache.invalidate('tag:[a]')).toBe(1);
      expect(await cache.invalidate('tag:b\\\\c')).toBe(1);
      expect(await cache.invalidate('tag:\\*')).toBe(1);
      expect(await cache.get('tag:a')).toBe(2);
      expect(await cache.get('tag:bc')).toBe(4);
      expect(await cache.get('tag:x')).toBe(6);
    });

    it("reaches only one user's keys with escapeGlob, whatever the user id holds", async () => {
      const cache = await fresh();
      const ids = ['*', 'u?', 'u1', 'u2', 'a\\', 'a:b'];
      await cache.warm(ids.map((id) => [`message:${id}:m1`, id] as const));
      for (const id of ids) {
        expect(await cache.invalidate(`message:${escapeGlob(id)}:*`)).toBe(1);
      }
    });

    it('matches ? against one byte, as Redis does: a two-byte character takes ??', async () => {
      const cache = await fresh();
      await cache.warm([['name:é', 1]]);
      expect(await cache.invalidate('name:?')).toBe(0);
      expect(await cache.invalidate('name:??')).toBe(1);
    });

    it('invalidates more keys than one scan step returns', async () => {
      const cache = await fresh();
      const entries = Array.from({ length: 1_200 }, (_, i) => [`message:m${i}`, i] as const);
      await cache.warm([...entries, ['user:keep', true]]);
      expect(await cache.invalidate('message:*')).toBe(1_200);
      expect(await cache.get('message:m600')).toBeUndefined();
      expect(await cache.get('user:keep')).toBe(true);
    });

    it('warms many entries at once (and nothing at all)', async () => {
      const cache = await fresh();
      await cache.warm([]);
      await cache.warm(
        new Map<string, unknown>([
          ['session:u1', { id: 's1' }],
          ['user:u1', { name: 'Ada' }],
        ]),
      );
      expect(await cache.get('session:u1')).toEqual({ id: 's1' });
      expect(await cache.get('user:u1')).toEqual({ name: 'Ada' });
    });

    it('refuses calls after close, with a store error', async () => {
      const cache = await fresh();
      await cache.close();
      const err = await cache.get('k').catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
      await expect(cache.set('k', 1)).rejects.toThrow(/closed/);
    });
  });
}
