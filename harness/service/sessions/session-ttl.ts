import { checkPositiveInteger } from '../cache/lru-options.js';
import { SESSION_TTL_MS } from '../types.js';

/**
 * How long a session repository keeps an entry, ms: `ttlMs` checked (a positive integer, else
 * a TypeError naming the repository and the value), default {@link SESSION_TTL_MS}. Both
 * repositories check alike: unchecked, 0 made the in-memory one keep entries forever and the
 * Redis one fail at the first `set`.
 *
 * @example
 * resolveSessionTtlMs('Redis session repository');      // 86400000
 * resolveSessionTtlMs('Redis session repository', 0);   // throws: ttlMs must be a positive integer, got 0
 */
export function resolveSessionTtlMs(what: string, ttlMs?: number): number {
  const ttl = ttlMs ?? SESSION_TTL_MS;
  checkPositiveInteger(what, 'ttlMs', ttl);
  return ttl;
}
