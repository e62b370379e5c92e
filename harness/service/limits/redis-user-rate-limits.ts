import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { UserLimitName, UserLimits, UserRateLimits } from '../types.js';
import { resolveUserLimits, resolveWindowSeconds } from './limits-config.js';
import { createUserRateLimits, type LimitWindow } from './user-rate-limits.js';

/** Options of {@link createRedisUserRateLimits}. */
export interface RedisUserRateLimitsOptions {
  /** The connection; the limits do not close it (its owner does). */
  client: Redis;
  /**
   * What every key starts with; a window's key is `PREFIX<window>:<userId>`, e.g.
   * `nexus:limit:messagesPerMinute:u1`. Processes sharing a prefix share the budget. Default `nexus:limit:`.
   */
  keyPrefix?: string;
  /** Limits over {@link DEFAULT_USER_LIMITS}; validated (positive integers). */
  limits?: Partial<UserLimits>;
  /** Window lengths, s, over a minute, an hour and a day. For tests; validated likewise. */
  windowSeconds?: Partial<Record<UserLimitName, number>>;
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
  const limits = resolveUserLimits(options.limits);
  const seconds = resolveWindowSeconds(options.windowSeconds);
  const prefix = options.keyPrefix ?? 'nexus:limit:';
  const window = (name: UserLimitName): LimitWindow => ({
    name,
    limiter: new RateLimiterRedis({
      storeClient: options.client,
      // rate-limiter-flexible joins prefix and key with ':'.
      keyPrefix: `${prefix}${name}`,
      points: limits[name],
      duration: seconds[name],
    }),
  });
  return createUserRateLimits(
    {
      message: [window('messagesPerMinute'), window('messagesPerHour')],
      session: [window('sessionsPerDay')],
    },
    'Redis user limits',
  );
}
