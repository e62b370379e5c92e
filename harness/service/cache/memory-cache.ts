import { LRUCache } from 'lru-cache';
import { closedStoreError } from '../store-errors.js';
import { CACHE_TTL_MS, type CacheStats, type ServiceCache } from '../types.js';
import { cacheTtlFor } from './family.js';
import { globMatcher } from './glob.js';
import { decodeCacheValue, encodeCacheValue } from './json-value.js';

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used goes first beyond it. Default 10 000. */
  maxEntries?: number;
  /**
   * The clock TTLs are measured on, ms (tests pass a fake one). Default `performance`.
   * With a clock given, every read looks at it (no 1 ms caching of "now"). An entry is kept
   * while its age is at most its TTL, as Redis keeps a key until the ms after its expiry.
   */
  clock?: { now(): number };
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
    max: options.maxEntries ?? 10_000,
    // A default TTL turns on TTL tracking; every set passes its own.
    ttl: CACHE_TTL_MS.default,
    ...(options.clock ? { perf: offByOne(options.clock), ttlResolution: 0 } : {}),
  });
  const stats: CacheStats = { hits: 0, misses: 0 };
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError('in-memory cache');
  };
  const put = (key: string, value: unknown, ttlMs?: number) => {
    const ttl = cacheTtlFor(key, ttlMs);
    lru.set(key, encodeCacheValue(key, value), { ttl });
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
      return decodeCacheValue<T>(text);
    },
    async set(key, value, ttlMs) {
      open();
      put(key, value, ttlMs);
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
      for (const [key, value] of entries) put(key, value);
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      lru.clear();
    },
  };
}

/**
 * The clock one ms on: lru-cache takes an entry stored at time 0 for one with no start, which
 * never expires, and fake clocks start at 0. Only differences count, so the offset changes nothing else.
 */
function offByOne(clock: { now(): number }): { now(): number } {
  return { now: () => clock.now() + 1 };
}
