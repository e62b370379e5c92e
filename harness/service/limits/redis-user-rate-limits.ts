import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { UserRateLimits } from '../types.js';
import { type UserRateLimitsOptions, userRateLimitsOver } from './user-rate-limits.js';

/** Options of {@link createRedisUserRateLimits}. */
export interface RedisUserRateLimitsOptions extends UserRateLimitsOptions {
  /** The connection; the limits do not close it (its owner does). */
  client: Redis;
  /**
   * What every key starts with; a window's key is `PREFIX<window>:<userId>`, e.g.
   * `nexus:limit:messagesPerMinute:u1`. Processes sharing a prefix share the budget. Default `nexus:limit:`.
   */
  keyPrefix?: string;
}

/**
 * {@link UserRateLimits} in Redis (rate-limiter-flexible's RateLimiterRedis): each window's
 * consume is one Lua script (SET NX with the window's TTL, INCRBY, PTTL), so any number of
 * processes sharing the Redis and the prefix never admit more than a window's limit together.
 * (The guide's INCR-then-EXPIRE was two commands: a process dying between them left a counter
 * with no TTL, and that user limited for good.)
 *
 * @example
 * const limits = createRedisUserRateLimits({ client: new Redis('redis://127.0.0.1:6379') });
 * const d = await limits.consumeMessage('u1');
 * if (!d.allowed) reply.header('retry-after', Math.ceil(d.resetMs / 1000)).code(429);
 */
export function createRedisUserRateLimits(options: RedisUserRateLimitsOptions): UserRateLimits {
  const prefix = options.keyPrefix ?? 'nexus:limit:';
  return userRateLimitsOver(
    (name, points, duration) =>
      new RateLimiterRedis({
        storeClient: options.client,
        // rate-limiter-flexible joins prefix and key with ':'.
        keyPrefix: `${prefix}${name}`,
        points,
        duration,
      }),
    'Redis user limits',
    options,
  );
}
