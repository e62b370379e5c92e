import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { UserLimitName, UserLimits, UserRateLimits } from '../types.js';
import { resolveUserLimits, resolveWindowSeconds } from './limits-config.js';
import { createUserRateLimits, type LimitWindow } from './user-rate-limits.js';

/** Options of {@link createMemoryUserRateLimits}. */
export interface MemoryUserRateLimitsOptions {
  /** Limits over {@link DEFAULT_USER_LIMITS}; validated (positive integers). */
  limits?: Partial<UserLimits>;
  /** Window lengths, s, over a minute, an hour and a day. For tests; validated likewise. */
  windowSeconds?: Partial<Record<UserLimitName, number>>;
}

/**
 * {@link UserRateLimits} in this process's memory (rate-limiter-flexible's RateLimiterMemory):
 * exact within one process, not shared with others (use the Redis one for that).
 *
 * @example
 * const limits = createMemoryUserRateLimits({ limits: { messagesPerMinute: 2 } });
 * await limits.consumeMessage('u1'); // allowed, remaining 1
 * await limits.consumeMessage('u1'); // allowed, remaining 0
 * await limits.consumeMessage('u1'); // { allowed: false, refusedBy: 'messagesPerMinute', … }
 */
export function createMemoryUserRateLimits(options: MemoryUserRateLimitsOptions = {}): UserRateLimits {
  const limits = resolveUserLimits(options.limits);
  const seconds = resolveWindowSeconds(options.windowSeconds);
  const window = (name: UserLimitName): LimitWindow => ({
    name,
    limiter: new RateLimiterMemory({ points: limits[name], duration: seconds[name] }),
  });
  return createUserRateLimits(
    {
      message: [window('messagesPerMinute'), window('messagesPerHour')],
      session: [window('sessionsPerDay')],
    },
    'in-memory user limits',
  );
}
