import { LRUCache } from 'lru-cache';
import { closedStoreError } from '../store-errors.js';
import { CACHE_TTL_MS, type CacheStats, type ServiceCache } from '../types.js';
import { cacheTtlFor } from './family.js';
import { globMatcher } from './glob.js';
import { decodeCacheValue, encodeCacheValue } from './json-value.js';
import { lruOptions, type StoreClock } from './lru-options.js';

const WHAT = 'in-memory cache';

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept (a positive integer); the least recently used goes first beyond it. Default 10 000. */
  maxEntries?: number;
  /**
   * The clock TTLs are measured on, ms (tests pass a fake one). Default `performance`.
   * With a clock given, every read looks at it (no 1 ms caching of "now"). An entry is kept
   * while its age is at most its TTL, as Redis keeps a key until the ms after its expiry.
   */
  clock?: StoreClock;
}

/**
 * A {@link ServiceCache} in this process's memory (lru-cache, a TTL per entry). What it keeps
 * is lost with the process and not shared with other processes: use the Redis cache for that.
 *
 * @example
 * const cache = createMemoryCache();
 * await cache.set('user:u1', { name: 'Ada' });        // 30 min, the user family's TTL
 * await cache.get<{ name: string }>('user:u1');       // { name: 'Ada' }
 * await cache.invalidate('user:*');                   // 1
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): ServiceCache {
  const lru = new LRUCache<string, string>({
    ...lruOptions(WHAT, 'maxEntries', options.maxEntries ?? 10_000, options.clock),
    // A default TTL turns on TTL tracking; every set passes its own.
    ttl: CACHE_TTL_MS.default,
  });
  const stats: CacheStats = { hits: 0, misses: 0 };
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError(WHAT);
  };

  return {
    async get<T>(key: string) {
      open();
      const text = lru.get(key);
      if (text === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return decodeCacheValue<T>(key, text);
    },
    async set(key, value, ttlMs) {
      open();
      const ttl = cacheTtlFor(key, ttlMs);
      lru.set(key, encodeCacheValue(key, value), { ttl });
    },
    async delete(key) {
      open();
      lru.delete(key);
    },
    async invalidate(pattern) {
      open();
      const matches = globMatcher(pattern);
      // keys() skips expired entries, as SCAN never returns an expired key: counts agree.
      const doomed = [...lru.keys()].filter(matches);
      for (const key of doomed) lru.delete(key);
      return doomed.length;
    },
    async warm(entries) {
      open();
      // Every value encoded before any is kept: all or nothing, as the Redis cache's pipeline.
      const encoded = [...entries].map(([key, value]) => [key, encodeCacheValue(key, value)] as const);
      for (const [key, text] of encoded) lru.set(key, text, { ttl: cacheTtlFor(key) });
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      lru.clear();
    },
  };
}
