import { CACHE_TTL_MS, type CacheFamily } from '../types.js';

const FAMILIES: ReadonlySet<string> = new Set<CacheFamily>(['session', 'message', 'user']);

/**
 * The {@link CacheFamily} of a key: its prefix before the first `:` when that is a family's
 * name, else `default`. Exact, not `startsWith` as the guide had it: `sessions:x` and
 * `messages:x` are `default` keys, not `session` and `message` ones.
 *
 * @example
 * cacheFamilyOf('session:u1');  // 'session'
 * cacheFamilyOf('sessions:u1'); // 'default'
 * cacheFamilyOf('plain');       // 'default'
 */
export function cacheFamilyOf(key: string): CacheFamily {
  const colon = key.indexOf(':');
  const prefix = colon === -1 ? '' : key.slice(0, colon);
  return FAMILIES.has(prefix) ? (prefix as CacheFamily) : 'default';
}

/**
 * The TTL a cache entry gets, ms: `ttlMs` when given (a positive integer, else a TypeError),
 * else the TTL of the key's family from {@link CACHE_TTL_MS}.
 *
 * @example
 * cacheTtlFor('message:m1');      // 300000
 * cacheTtlFor('message:m1', 50);  // 50
 */
export function cacheTtlFor(key: string, ttlMs?: number): number {
  if (ttlMs === undefined) return CACHE_TTL_MS[cacheFamilyOf(key)];
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(
      `Failed to cache ${JSON.stringify(key)}: ttlMs must be a positive integer, got ${ttlMs}.`,
    );
  }
  return ttlMs;
}
