import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisUserRateLimits } from '../../harness/service/limits/redis-user-rate-limits.js';
import type { LimitDecision, UserRateLimits } from '../../harness/service/types.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';

/**
 * Four limiters on four connections (as four app processes would be) share one user's budget
 * through Redis. 40 concurrent calls must admit exactly the limit: rate-limiter-flexible's one
 * Lua script per consume makes each count atomic. The same assertion against a naive
 * read-modify-write limiter (GET, then SET) shows the test can fail: it over-admits.
 */

warnIfNoRedis('user-rate-limits-concurrency');

const INSTANCES = 4;
const CALLS = 40;
const LIMIT = 10;

/** Admits while GET says fewer than `limit`; yields between the read and the write, as any network hop would. */
function naiveLimiter(client: Redis, key: string, limit: number): Pick<UserRateLimits, 'consumeMessage'> {
  return {
    async consumeMessage(userId) {
      const count = Number((await client.get(`${key}:${userId}`)) ?? 0);
      await new Promise((resolve) => setImmediate(resolve));
      if (count >= limit)
        return { allowed: false, refusedBy: 'messagesPerMinute', remaining: 0, resetMs: 60_000 };
      await client.set(`${key}:${userId}`, String(count + 1), 'EX', 60);
      return { allowed: true, refusedBy: null, remaining: limit - count - 1, resetMs: 60_000 };
    },
  };
}

/** `CALLS` calls at once for one user, spread round-robin over the limiters; how many were admitted. */
async function admitted(
  limiters: readonly Pick<UserRateLimits, 'consumeMessage'>[],
): Promise<LimitDecision[]> {
  const decisions = await Promise.all(
    Array.from({ length: CALLS }, (_, i) => limiters[i % limiters.length]!.consumeMessage('u1')),
  );
  return decisions.filter((d) => d.allowed);
}

describe.skipIf(redisBinary === null)(
  `${CALLS} concurrent calls over ${INSTANCES} Redis-backed limiters`,
  () => {
    const redis = useRedisServer('concurrency');
    const connections = () => Array.from({ length: INSTANCES }, () => redis.connect());

    it(`admit exactly the minute's limit (${LIMIT})`, async () => {
      const keyPrefix = redis.prefix();
      const limiters = connections().map((client) =>
        createRedisUserRateLimits({ client, keyPrefix, limits: { messagesPerMinute: LIMIT } }),
      );
      const allowed = await admitted(limiters);
      expect(allowed).toHaveLength(LIMIT);
      // Each remaining count was handed out once: 9, 8, …, 0.
      expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([...Array(LIMIT).keys()]);
      // The hour counted only the admitted ones: refused calls took nothing from it.
      expect(await redis.client().get(`${keyPrefix}messagesPerHour:u1`)).toBe(String(LIMIT));
    });

    it(`admit exactly the hour's limit (${LIMIT}) when it is the tighter, and give the minute its points back`, async () => {
      const keyPrefix = redis.prefix();
      const limiters = connections().map((client) =>
        createRedisUserRateLimits({
          client,
          keyPrefix,
          limits: { messagesPerMinute: CALLS, messagesPerHour: LIMIT },
        }),
      );
      const allowed = await admitted(limiters);
      expect(allowed).toHaveLength(LIMIT);
      // Every refused call's minute point came back: the minute counted the admitted ones only.
      expect(await redis.client().get(`${keyPrefix}messagesPerMinute:u1`)).toBe(String(LIMIT));
    });

    it('the same assertion fails for a naive GET-then-SET limiter: it over-admits', async () => {
      const key = `${redis.prefix()}naive`;
      const limiters = connections().map((client) => naiveLimiter(client, key, LIMIT));
      const allowed = await admitted(limiters);
      console.info(
        `[user-rate-limits-concurrency] naive limiter admitted ${allowed.length} of ${CALLS} (limit ${LIMIT})`,
      );
      expect(allowed.length).toBeGreaterThan(LIMIT);
    });
  },
);
