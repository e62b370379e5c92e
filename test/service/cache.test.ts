import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../harness/service/cache/memory-cache.js';
import { createRedisCache } from '../../harness/service/cache/redis-cache.js';
import { CACHE_TTL_MS } from '../../harness/service/types.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';
import { cacheSuite } from './suites/cache-suite.js';

warnIfNoRedis('cache');

describe('in-memory cache', () => {
  cacheSuite(async () => createMemoryCache());
});

describe.skipIf(redisBinary === null)('Redis cache', () => {
  const redis = useRedisServer('cache');
  // Small scan steps, so the 1,200-key case walks many SCAN cursors and UNLINK batches.
  cacheSuite(async () =>
    createRedisCache({ client: redis.client(), keyPrefix: redis.prefix(), scanCount: 100 }),
  );

  it('runs on a server where KEYS is disabled (so invalidate cannot be using it)', async () => {
    await expect(redis.client().keys('*')).rejects.toThrow(/unknown command/i);
  });

  it('sets each family’s TTL with PX, under its prefix', async () => {
    const prefix = redis.prefix();
    const cache = createRedisCache({ client: redis.client(), keyPrefix: prefix });
    await cache.warm([
      ['session:u1', 1],
      ['message:m1', 1],
      ['user:u1', 1],
      ['other:x', 1],
    ]);
    await cache.set('plain', 1, 1_234);
    const ttl = async (key: string) => redis.client().pttl(prefix + key);
    for (const [key, family] of [
      ['session:u1', 'session'],
      ['message:m1', 'message'],
      ['user:u1', 'user'],
      ['other:x', 'default'],
    ] as const) {
      const left = await ttl(key);
      // Within 30 s of the family's TTL: the test does not time how long it took to get here.
      expect(left).toBeLessThanOrEqual(CACHE_TTL_MS[family]);
      expect(left).toBeGreaterThan(CACHE_TTL_MS[family] - 30_000);
    }
    // Above 0: -1 (no TTL) and -2 (no key) would pass an upper bound alone.
    expect(await ttl('plain')).toBeGreaterThan(0);
    expect(await ttl('plain')).toBeLessThanOrEqual(1_234);
    expect(await redis.client().get(`${prefix}session:u1`)).toBe('1');
  });

  it('invalidates only its own prefix: keys of other prefixes and outside any are untouched', async () => {
    const client = redis.client();
    // A prefix with glob characters: unescaped, its [1] would match the neighbour "t1:".
    const cache = createRedisCache({ client, keyPrefix: 't[1]:' });
    const other = createRedisCache({ client, keyPrefix: 't1:' });
    await cache.set('session:a', 1);
    await other.set('session:a', 2);
    await client.set('session:a', 'raw');
    await client.set('t[1]:session', 'no colon after the family');
    expect(await cache.invalidate('session:*')).toBe(1);
    expect(await other.get('session:a')).toBe(2);
    expect(await client.get('session:a')).toBe('raw');
    expect(await client.get('t[1]:session')).toBe('no colon after the family');
    expect(await cache.invalidate('*')).toBe(1);
    expect(await client.get('t1:session:a')).toBe('2');
  });

  it('reads a key something else wrote as not JSON with an error naming it', async () => {
    const prefix = redis.prefix();
    const cache = createRedisCache({ client: redis.client(), keyPrefix: prefix });
    await redis.client().set(`${prefix}user:raw`, 'not json');
    await expect(cache.get('user:raw')).rejects.toThrow(
      /Failed to read cache entry "user:raw": it is not JSON/,
    );
  });

  it('counts hits and misses per instance, shares entries between instances on one prefix', async () => {
    const prefix = redis.prefix();
    const a = createRedisCache({ client: redis.client(), keyPrefix: prefix });
    const b = createRedisCache({ client: redis.connect(), keyPrefix: prefix });
    await a.set('user:u1', { n: 1 });
    expect(await b.get('user:u1')).toEqual({ n: 1 });
    expect(a.stats()).toEqual({ hits: 0, misses: 0 });
    expect(b.stats()).toEqual({ hits: 1, misses: 0 });
  });
});
