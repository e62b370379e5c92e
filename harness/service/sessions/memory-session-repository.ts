import { LRUCache } from 'lru-cache';
import { lruOptions, type StoreClock } from '../cache/lru-options.js';
import { closedStoreError } from '../store-errors.js';
import type { SessionRepository } from '../types.js';
import { resolveSessionTtlMs } from './session-ttl.js';

const WHAT = 'in-memory session repository';

/** Options of {@link createMemorySessionRepository}. */
export interface MemorySessionRepositoryOptions {
  /**
   * Most users kept; beyond it the least recently used user's entry goes (that user simply
   * gets a new session). Bounded so users who never come back cannot grow memory for 24 h.
   * A positive integer; default 100 000.
   */
  maxUsers?: number;
  /** How long an entry is kept, ms (a positive integer). Default {@link SESSION_TTL_MS} (24 h); tests pass less. */
  ttlMs?: number;
  /** The clock the TTL is measured on, ms (tests pass a fake one). Default `performance`. */
  clock?: StoreClock;
}

/**
 * A {@link SessionRepository} in this process's memory, for tests and single-process use.
 *
 * @example
 * const sessions = createMemorySessionRepository();
 * await sessions.set('u1', 's1');
 * await sessions.get('u1'); // 's1', for 24 h
 */
export function createMemorySessionRepository(
  options: MemorySessionRepositoryOptions = {},
): SessionRepository {
  const lru = new LRUCache<string, string>({
    ...lruOptions(WHAT, 'maxUsers', options.maxUsers ?? 100_000, options.clock),
    ttl: resolveSessionTtlMs(WHAT, options.ttlMs),
  });
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError(WHAT);
  };
  return {
    async get(userId) {
      open();
      return lru.get(userId) ?? null;
    },
    async set(userId, sessionId) {
      open();
      lru.set(userId, sessionId);
    },
    async delete(userId) {
      open();
      lru.delete(userId);
    },
    async close() {
      closed = true;
      lru.clear();
    },
  };
}
