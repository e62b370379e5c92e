import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisUserRateLimits } from '../../harness/service/limits/redis-user-rate-limits.js';
import type { LimitDecision, UserRateLimits } from '../../harness/service/types.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';
import { eventually } from './suites/eventually.js';

/**
 * Four limiters on four connections (as four app processes would be) share one user's budget
 * through Redis. 40 concurrent calls must admit exactly the limit: rate-limiter-flexible's one
 * Lua script per consume makes each count atomic. The same assertion against a naive
 * read-modify-write limiter (GET, then SET) shows the test can fail: it over-admits. And each
 * window's count is one command, so no counter can exist without its TTL (the guide's INCR,
 * then EXPIRE, left one for good when the process died between the two).
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

    it('counts each window with one command (a script), never INCR then EXPIRE, and every counter has a TTL', async () => {
      const keyPrefix = redis.prefix();
      const limits = createRedisUserRateLimits({ client: redis.connect(), keyPrefix });
      // The first call loads the script (EVALSHA, NOSCRIPT, EVAL): not what is counted here.
      await limits.consumeMessage('warm-up');
      const monitor = await redis.client().monitor();
      // What the limiter sent, and what ran inside its scripts (MONITOR's source "lua").
      const sent: string[] = [];
      const inScripts: string[] = [];
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (!args.some((a) => a.startsWith(keyPrefix) && a.endsWith(':u1'))) return;
        (source === 'lua' ? inScripts : sent).push(args[0]!.toLowerCase());
      });
      try {
        await limits.consumeMessage('u1');
        await eventually(async () => expect(inScripts).toHaveLength(6));
        // A round trip after the last, so any further command would have been seen by now.
        await redis.client().ping();
        expect(sent).toEqual(['evalsha', 'evalsha']);
        expect(inScripts).toEqual(['set', 'incrby', 'pttl', 'set', 'incrby', 'pttl']);
      } finally {
        monitor.disconnect();
      }
      for (const window of ['messagesPerMinute', 'messagesPerHour']) {
        expect(await redis.client().pttl(`${keyPrefix}${window}:u1`)).toBeGreaterThan(0);
      }
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
