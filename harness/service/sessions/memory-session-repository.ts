import { LRUCache } from 'lru-cache';
import { closedStoreError } from '../store-errors.js';
import { SESSION_TTL_MS, type SessionRepository } from '../types.js';

/** Options of {@link createMemorySessionRepository}. */
export interface MemorySessionRepositoryOptions {
  /**
   * Most users kept; beyond it the least recently used user's entry goes (that user simply
   * gets a new session). Bounded so users who never come back cannot grow memory for 24 h.
   * Default 100 000.
   */
  maxUsers?: number;
  /** How long an entry is kept, ms. Default {@link SESSION_TTL_MS} (24 h); tests pass less. */
  ttlMs?: number;
  /** The clock the TTL is measured on, ms (tests pass a fake one). Default `performance`. */
  clock?: { now(): number };
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
  const ttl = options.ttlMs ?? SESSION_TTL_MS;
  const lru = new LRUCache<string, string>({
    max: options.maxUsers ?? 100_000,
    ttl,
    ...(options.clock ? { perf: offByOne(options.clock), ttlResolution: 0 } : {}),
  });
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError('in-memory session repository');
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

/**
 * The clock one ms on: lru-cache takes an entry stored at time 0 for one with no start, which
 * never expires, and fake clocks start at 0. Only differences count, so the offset changes nothing else.
 */
function offByOne(clock: { now(): number }): { now(): number } {
  return { now: () => clock.now() + 1 };
}
