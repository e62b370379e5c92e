import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { closedStoreError, storeCallError } from '../store-errors.js';
import type { LimitDecision, UserLimitName, UserLimits, UserRateLimits } from '../types.js';
import { resolveUserLimits, resolveWindowSeconds } from './limits-config.js';

/** One window of a user's limits: its name and the rate-limiter-flexible limiter counting it. */
export interface LimitWindow {
  name: UserLimitName;
  limiter: RateLimiterAbstract;
}

/** What both implementations take: limits and window lengths, each over the defaults and checked. */
export interface UserRateLimitsOptions {
  /** Limits over {@link DEFAULT_USER_LIMITS}; validated (positive integers). */
  limits?: Partial<UserLimits>;
  /** Window lengths, s, over a minute, an hour and a day. For tests; validated likewise. */
  windowSeconds?: Partial<Record<UserLimitName, number>>;
}

/** Makes the limiter counting one window: `points` calls per `durationS` seconds. */
export type MakeWindowLimiter = (
  name: UserLimitName,
  points: number,
  durationS: number,
) => RateLimiterAbstract;

/**
 * The per-user limits with one limiter per window, made by `makeLimiter` from the checked
 * options: what the in-memory and the Redis limits share, so each only says how a window's
 * limiter is made.
 *
 * @example
 * const limits = userRateLimitsOver(
 *   (name, points, duration) => new RateLimiterMemory({ points, duration }),
 *   'in-memory user limits',
 *   { limits: { messagesPerMinute: 2 } },
 * );
 */
export function userRateLimitsOver(
  makeLimiter: MakeWindowLimiter,
  what: string,
  options: UserRateLimitsOptions = {},
): UserRateLimits {
  const limits = resolveUserLimits(options.limits);
  const seconds = resolveWindowSeconds(options.windowSeconds);
  const window = (name: UserLimitName): LimitWindow => ({
    name,
    limiter: makeLimiter(name, limits[name], seconds[name]),
  });
  return createUserRateLimits(
    {
      message: [window('messagesPerMinute'), window('messagesPerHour')],
      session: [window('sessionsPerDay')],
    },
    what,
  );
}

/**
 * How close to its end a window may be and still get a point back, ms. A window closer to its
 * end than this keeps the point: it may already have expired by the time the give-back
 * arrives, and a give-back landing in the *next* window (a fresh key at -1) would let that
 * window admit one call too many. A point kept this way dies with its window within
 * this margin, so the cost is at most one call refused too early, for at most a second.
 */
const GIVE_BACK_MARGIN_MS = 1_000;

/**
 * The per-user limits over rate-limiter-flexible limiters (in memory or in Redis; the Redis
 * ones consume with one Lua script each, so each window's count is atomic across processes).
 *
 * A call is counted against its windows in order; when one refuses, the points already taken
 * from the windows before it are given back (`reward`), so a refused call consumes nothing
 * there. Between the take and the give-back, another call can see that window one point
 * fuller than it ends up: it may be refused when it would have fitted (a transient
 * under-admission), but no window ever admits more than its limit. The refusing window's own
 * count goes past its limit, which changes nothing: it refuses until it resets either way, and
 * the count does not outlive the window.
 *
 * @example
 * const limits = createUserRateLimits(
 *   { message: [minuteWindow, hourWindow], session: [dayWindow] },
 *   'in-memory user limits',
 * );
 * const decision = await limits.consumeMessage('u1'); // { allowed: true, refusedBy: null, remaining: 9, resetMs: 60000 }
 */
export function createUserRateLimits(
  windows: { message: readonly LimitWindow[]; session: readonly LimitWindow[] },
  what: string,
): UserRateLimits {
  let closed = false;

  async function consume(userId: string, list: readonly LimitWindow[]): Promise<LimitDecision> {
    if (closed) throw closedStoreError(what);
    const taken: { window: LimitWindow; res: RateLimiterRes; sentAtMs: number }[] = [];
    for (const window of list) {
      // Before the call: the window ends no earlier than this plus the TTL the answer reports.
      const sentAtMs = performance.now();
      let res: RateLimiterRes;
      try {
        res = await window.limiter.consume(userId, 1);
      } catch (err) {
        await giveBack(userId, taken);
        // rate-limiter-flexible rejects with a RateLimiterRes for "over the limit", an Error otherwise.
        if (err instanceof RateLimiterRes) {
          return {
            allowed: false,
            refusedBy: window.name,
            remaining: 0,
            resetMs: Math.max(0, err.msBeforeNext),
          };
        }
        throw storeCallError(
          what,
          `count a call of user ${JSON.stringify(userId)} against ${window.name}`,
          err,
        );
      }
      taken.push({ window, res, sentAtMs });
    }
    // The window with the fewest calls left; of windows tied on that, the one resetting last,
    // since the next call is refused until every used-up window has reset.
    let tightest = taken[0]!.res;
    for (const { res } of taken) {
      const fewer = res.remainingPoints < tightest.remainingPoints;
      const tiedLater =
        res.remainingPoints === tightest.remainingPoints && res.msBeforeNext > tightest.msBeforeNext;
      if (fewer || tiedLater) tightest = res;
    }
    return {
      allowed: true,
      refusedBy: null,
      remaining: tightest.remainingPoints,
      resetMs: Math.max(0, tightest.msBeforeNext),
    };
  }

  return {
    consumeMessage: (userId) => consume(userId, windows.message),
    consumeSession: (userId) => consume(userId, windows.session),
    // The limiters hold nothing to release: memory counters are dropped with them, timers
    // unref'd; the Redis connection belongs to whoever made it.
    async close() {
      closed = true;
    },
  };
}

/** Gives each taken point back, unless its window is about to end (see {@link GIVE_BACK_MARGIN_MS}). */
async function giveBack(
  userId: string,
  taken: readonly { window: LimitWindow; res: RateLimiterRes; sentAtMs: number }[],
): Promise<void> {
  const now = performance.now();
  await Promise.all(
    taken
      .filter(({ res, sentAtMs }) => sentAtMs + res.msBeforeNext - now > GIVE_BACK_MARGIN_MS)
      // A give-back that fails (Redis gone) leaves the point taken: an under-admission, never
      // an over-admission, and not worth failing the caller's refusal over.
      .map(({ window }) => window.limiter.reward(userId, 1).catch(() => undefined)),
  );
}
