import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { UserRateLimits } from '../types.js';
import { type UserRateLimitsOptions, userRateLimitsOver } from './user-rate-limits.js';

/** Options of {@link createMemoryUserRateLimits}. */
export type MemoryUserRateLimitsOptions = UserRateLimitsOptions;

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
  return userRateLimitsOver(
    (_name, points, duration) => new RateLimiterMemory({ points, duration }),
    'in-memory user limits',
    options,
  );
}
