import type { Redis } from 'ioredis';
import { createMemoryCache } from './cache/memory-cache.js';
import { createRedisCache } from './cache/redis-cache.js';
import { resolveUserLimits } from './limits/limits-config.js';
import { createMemoryUserRateLimits } from './limits/memory-user-rate-limits.js';
import { createRedisUserRateLimits } from './limits/redis-user-rate-limits.js';
import { createMemorySessionRepository } from './sessions/memory-session-repository.js';
import { createRedisSessionRepository } from './sessions/redis-session-repository.js';
import type { ServiceCache, SessionRepository, UserLimits, UserRateLimits } from './types.js';

/** Options of {@link createServiceStores}. */
export interface ServiceStoresOptions {
  /** A Redis to keep everything in, e.g. `redis://127.0.0.1:6379`. Default none: in memory. */
  redisUrl?: string;
  /** Per-user limits over {@link DEFAULT_USER_LIMITS}; validated (positive integers). */
  limits?: Partial<UserLimits>;
  /**
   * What every Redis key starts with: the cache's keys under `PREFIX cache:`, sessions under
   * `PREFIX session:`, limits under `PREFIX limit:`. Processes sharing a prefix share state.
   * Default `nexus:`.
   */
  keyPrefix?: string;
  /** Allow a Redis that is not on loopback. Default false. */
  allowRemote?: boolean;
  /**
   * How long one Redis command may take before the store call fails with a {@link StoreError},
   * ms. Default 2 000 (see `connectRedis` in redis-connection.ts).
   */
  commandTimeoutMs?: number;
}

/** The service's stores, all in memory or all in one Redis. */
export interface ServiceStores {
  sessions: SessionRepository;
  cache: ServiceCache;
  limits: UserRateLimits;
  kind: 'memory' | 'redis';
  /** Redis `PING` (rejects when Redis does not answer); resolves at once in memory. For health checks. */
  ping(): Promise<void>;
  /**
   * Closes the stores, then the Redis connection (its queued commands finish first, each
   * within `commandTimeoutMs`; a Redis that is down or stuck is disconnected). Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * The service's session repository, cache and per-user limits, in memory, or in Redis over
 * one shared connection when `redisUrl` is given. Limits are validated before anything
 * connects; a Redis that cannot be reached rejects with a {@link StoreError} naming the URL
 * (never its password). Once running, a call Redis fails or does not answer within
 * `commandTimeoutMs` rejects with a StoreError too; none waits forever.
 *
 * @example
 * const stores = await createServiceStores({ redisUrl: process.env.REDIS_URL, limits: { messagesPerMinute: 20 } });
 * await stores.sessions.set('u1', 's1');
 * const decision = await stores.limits.consumeMessage('u1');
 * await stores.close();
 */
export async function createServiceStores(options: ServiceStoresOptions = {}): Promise<ServiceStores> {
  if (options.redisUrl === undefined) {
    const limits = createMemoryUserRateLimits({ limits: options.limits });
    return assemble('memory', createMemorySessionRepository(), createMemoryCache(), limits);
  }
  const prefix = options.keyPrefix ?? 'nexus:';
  // Validated first: a bad value should not cost a connection.
  resolveUserLimits(options.limits);
  // Loaded here, not at the top: in-memory stores (and `nexus-harness/service`) need no ioredis.
  const { connectRedis } = await import('./redis-connection.js');
  const client = await connectRedis(options.redisUrl, {
    allowRemote: options.allowRemote,
    commandTimeoutMs: options.commandTimeoutMs,
  });
  return assemble(
    'redis',
    createRedisSessionRepository({ client, keyPrefix: `${prefix}session:` }),
    createRedisCache({ client, keyPrefix: `${prefix}cache:` }),
    createRedisUserRateLimits({ client, keyPrefix: `${prefix}limit:`, limits: options.limits }),
    client,
  );
}

function assemble(
  kind: ServiceStores['kind'],
  sessions: SessionRepository,
  cache: ServiceCache,
  limits: UserRateLimits,
  client?: Redis,
): ServiceStores {
  let closing: Promise<void> | undefined;
  return {
    sessions,
    cache,
    limits,
    kind,
    async ping() {
      if (client !== undefined) await client.ping();
    },
    close() {
      closing ??= (async () => {
        await Promise.all([sessions.close(), cache.close(), limits.close()]);
        if (client === undefined) return;
        // QUIT lets queued commands finish; a connection that is down has nothing to finish.
        await client.quit().catch(() => client.disconnect());
      })();
      return closing;
    },
  };
}
