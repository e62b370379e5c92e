import type { Redis } from 'ioredis';
import { closedStoreError, storeCall } from '../store-errors.js';
import type { SessionRepository } from '../types.js';
import { resolveSessionTtlMs } from './session-ttl.js';

const WHAT = 'Redis session repository';

/** Options of {@link createRedisSessionRepository}. */
export interface RedisSessionRepositoryOptions {
  /** The connection; the repository does not close it (its owner does). */
  client: Redis;
  /** What every key of this repository starts with, so nothing else shares its keys. Default `nexus:session:`. */
  keyPrefix?: string;
  /** How long an entry is kept, ms (`PX`; a positive integer). Default {@link SESSION_TTL_MS} (24 h); tests pass less. */
  ttlMs?: number;
}

/**
 * A {@link SessionRepository} in Redis, shared by every process on the same Redis and prefix:
 * `SET prefix+userId sessionId PX ttl` (one command, so the entry never exists without its
 * TTL), `GET`, `UNLINK`.
 *
 * @example
 * const sessions = createRedisSessionRepository({ client: new Redis('redis://127.0.0.1:6379') });
 * await sessions.set('u1', 's1'); // SET nexus:session:u1 s1 PX 86400000
 */
export function createRedisSessionRepository(options: RedisSessionRepositoryOptions): SessionRepository {
  const { client } = options;
  const prefix = options.keyPrefix ?? 'nexus:session:';
  const ttl = resolveSessionTtlMs(WHAT, options.ttlMs);
  let closed = false;
  const open = () => {
    if (closed) throw closedStoreError(WHAT);
  };
  return {
    async get(userId) {
      open();
      return storeCall(WHAT, `get the session of user ${JSON.stringify(userId)}`, () =>
        client.get(prefix + userId),
      );
    },
    async set(userId, sessionId) {
      open();
      await storeCall(WHAT, `keep the session of user ${JSON.stringify(userId)}`, () =>
        client.set(prefix + userId, sessionId, 'PX', ttl),
      );
    },
    async delete(userId) {
      open();
      await storeCall(WHAT, `delete the session of user ${JSON.stringify(userId)}`, () =>
        client.unlink(prefix + userId),
      );
    },
    async close() {
      closed = true;
    },
  };
}
