import type { Redis } from 'ioredis';
import { closedStoreError, storeCall } from '../store-errors.js';
import type { CacheStats, ServiceCache } from '../types.js';
import { cacheTtlFor } from './family.js';
import { redisMatchPattern } from './glob.js';
import { decodeCacheValue, encodeCacheValue } from './json-value.js';
import { checkPositiveInteger } from './lru-options.js';

const WHAT = 'Redis cache';

/** Options of {@link createRedisCache}. */
export interface RedisCacheOptions {
  /** The connection; the cache does not close it (its owner does). */
  client: Redis;
  /**
   * What every key of this cache starts with in Redis, so invalidation can only ever reach
   * this cache's keys. Default `nexus:cache:`.
   */
  keyPrefix?: string;
  /** Keys asked for per `SCAN` step, and deleted per `UNLINK`, in `invalidate`. Default 500. */
  scanCount?: number;
}

/**
 * A {@link ServiceCache} in Redis: `SET key json PX ttl`, shared by every process on the same
 * Redis and prefix. `invalidate` walks the prefix's keys with `SCAN … MATCH … COUNT` (never
 * `KEYS`, which blocks the server over the whole keyspace) and deletes them in batches with
 * `UNLINK` (freed in the background). Hit and miss counts are this instance's own.
 *
 * @example
 * const cache = createRedisCache({ client: new Redis('redis://127.0.0.1:6379') });
 * await cache.set('session:u1', { id: 's1' }); // PX 3600000
 * await cache.invalidate('session:*');         // 1
 */
export function createRedisCache(options: RedisCacheOptions): ServiceCache {
  const { client } = options;
  const prefix = options.keyPrefix ?? 'nexus:cache:';
  const count = options.scanCount ?? 500;
  checkPositiveInteger(WHAT, 'scanCount', count);
  const stats: CacheStats = { hits: 0, misses: 0 };
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError(WHAT);
  };

  return {
    async get<T>(key: string) {
      open();
      const text = await storeCall(WHAT, `get ${JSON.stringify(key)}`, () => client.get(prefix + key));
      if (text === null) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return decodeCacheValue<T>(key, text);
    },
    async set(key, value, ttlMs) {
      open();
      const ttl = cacheTtlFor(key, ttlMs);
      const text = encodeCacheValue(key, value);
      await storeCall(WHAT, `set ${JSON.stringify(key)}`, () => client.set(prefix + key, text, 'PX', ttl));
    },
    async delete(key) {
      open();
      await storeCall(WHAT, `delete ${JSON.stringify(key)}`, () => client.unlink(prefix + key));
    },
    async invalidate(pattern) {
      open();
      const match = redisMatchPattern(prefix, pattern);
      return storeCall(WHAT, `invalidate ${JSON.stringify(pattern)}`, async () => {
        let cursor = '0';
        let deleted = 0;
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', count);
          cursor = next;
          // SCAN may return a key twice (a rehash during the walk): UNLINK counts it once.
          for (let i = 0; i < keys.length; i += count)
            deleted += await client.unlink(...keys.slice(i, i + count));
        } while (cursor !== '0');
        return deleted;
      });
    },
    async warm(entries) {
      open();
      // One round trip for all of them; each SET keeps its own TTL.
      const pipeline = client.pipeline();
      for (const [key, value] of entries) {
        pipeline.set(prefix + key, encodeCacheValue(key, value), 'PX', cacheTtlFor(key));
      }
      if (pipeline.length === 0) return;
      await storeCall(WHAT, `warm ${pipeline.length} entries`, async () => {
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([err]) => err !== null);
        if (failed) throw failed[0];
      });
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
    },
  };
}
