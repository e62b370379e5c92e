import { afterEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../../../harness/service/store-errors.js';
import type {
  LimitDecision,
  UserLimitName,
  UserLimits,
  UserRateLimits,
} from '../../../harness/service/types.js';
import { isConfigError } from '../../../harness/util/validation.js';
import { eventually } from './eventually.js';

/** How a suite gets fresh limits (a new key prefix in Redis) with these options. */
export type MakeUserRateLimits = (options?: {
  limits?: Partial<UserLimits>;
  windowSeconds?: Partial<Record<UserLimitName, number>>;
}) => Promise<UserRateLimits>;

/**
 * The {@link UserRateLimits} contract (the guide's 10 a minute, 100 an hour, 5 sessions a day;
 * a refused call consumes nothing), run against each implementation.
 *
 * @example
 * describe('memory', () => userRateLimitsSuite(async (o) => createMemoryUserRateLimits(o)));
 */
export function userRateLimitsSuite(make: MakeUserRateLimits): void {
  const open: UserRateLimits[] = [];
  const fresh: MakeUserRateLimits = async (options) => {
    const limits = await make(options);
    open.push(limits);
    return limits;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  describe('UserRateLimits contract', () => {
    it('admits 10 messages a minute by default, counting down, then refuses the 11th', async () => {
      const limits = await fresh();
      const decisions = [];
      for (let i = 0; i < 11; i++) decisions.push(await limits.consumeMessage('u1'));
      expect(decisions.slice(0, 10).map((d) => [d.allowed, d.remaining])).toEqual(
        Array.from({ length: 10 }, (_, i) => [true, 9 - i]),
      );
      const refused = decisions[10]!;
      expect(refused).toMatchObject({ allowed: false, refusedBy: 'messagesPerMinute', remaining: 0 });
      expect(refused.resetMs).toBeGreaterThan(0);
      expect(refused.resetMs).toBeLessThanOrEqual(60_000);
      expect(decisions[0]!.refusedBy).toBeNull();
      expect(decisions[0]!.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('counts each user apart', async () => {
      const limits = await fresh({ limits: { messagesPerMinute: 1 } });
      expect((await limits.consumeMessage('u1')).allowed).toBe(true);
      expect((await limits.consumeMessage('u1')).allowed).toBe(false);
      expect((await limits.consumeMessage('u2')).allowed).toBe(true);
    });

    it('reports the tighter window: the hour once it has fewer calls left than the minute', async () => {
      const limits = await fresh({ limits: { messagesPerMinute: 5, messagesPerHour: 3 } });
      const first = await limits.consumeMessage('u1');
      expect(first.remaining).toBe(2);
      expect(first.resetMs).toBeGreaterThan(60_000);
      await limits.consumeMessage('u1');
      await limits.consumeMessage('u1');
      expect(await limits.consumeMessage('u1')).toMatchObject({
        allowed: false,
        refusedBy: 'messagesPerHour',
      });
    });

    it('when the minute and the hour are both used up, reports the hour: the next call waits for it', async () => {
      const limits = await fresh({ limits: { messagesPerMinute: 2, messagesPerHour: 2 } });
      await limits.consumeMessage('u1');
      const last = await limits.consumeMessage('u1');
      expect(last).toMatchObject({ allowed: true, remaining: 0 });
      // The minute resets within 60 s, but the hour would still refuse then.
      expect(last.resetMs).toBeGreaterThan(60_000);
    });

    it('a call the hour refuses costs no call of the minute', async () => {
      // The hour (2 a second here) refuses while the minute (3 a minute) still has room. Call
      // until the minute refuses: exactly 3 calls must have been admitted by then, however many
      // the hour refused in between. Had a refused call kept its minute point, the minute would
      // refuse after 2. No timing is asserted: a stall only changes how many the hour refuses.
      const limits = await fresh({
        limits: { messagesPerMinute: 3, messagesPerHour: 2 },
        windowSeconds: { messagesPerHour: 1 },
      });
      const seen: LimitDecision[] = [];
      await eventually(
        async () => {
          const d = await limits.consumeMessage('u1');
          seen.push(d);
          expect(d.refusedBy).toBe('messagesPerMinute');
        },
        10_000,
        5,
      );
      expect(seen.filter((d) => d.allowed)).toHaveLength(3);
      expect(seen.some((d) => d.refusedBy === 'messagesPerHour')).toBe(true);
    });

    it('admits again once the refusing window resets', async () => {
      const limits = await fresh({
        limits: { messagesPerMinute: 1 },
        windowSeconds: { messagesPerMinute: 1 },
      });
      expect((await limits.consumeMessage('u1')).allowed).toBe(true);
      let refused: LimitDecision | undefined;
      await eventually(async () => {
        refused = await limits.consumeMessage('u1');
        expect(refused.allowed).toBe(false);
      });
      expect(refused!.resetMs).toBeLessThanOrEqual(1_000);
      await eventually(async () => expect((await limits.consumeMessage('u1')).allowed).toBe(true));
    });

    it('admits 5 new sessions a day by default, apart from messages', async () => {
      const limits = await fresh();
      for (let i = 0; i < 5; i++) expect((await limits.consumeSession('u1')).remaining).toBe(4 - i);
      const refused = await limits.consumeSession('u1');
      expect(refused).toMatchObject({ allowed: false, refusedBy: 'sessionsPerDay', remaining: 0 });
      expect(refused.resetMs).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
      expect((await limits.consumeMessage('u1')).allowed).toBe(true);
    });

    it('refuses bad limits, naming every field and value', async () => {
      const err = await fresh({
        limits: { messagesPerMinute: 0, messagesPerHour: 1.5, sessionsPerDya: 3 } as Partial<UserLimits>,
      }).catch((e: unknown) => e);
      expect(isConfigError(err)).toBe(true);
      const message = (err as Error).message;
      expect(message).toMatch(/limits\.messagesPerMinute: must be a positive integer, got 0/);
      expect(message).toMatch(/limits\.messagesPerHour: must be a positive integer, got 1\.5/);
      expect(message).toMatch(
        /limits\.sessionsPerDya: is not a known field \(did you mean "sessionsPerDay"\?\)/,
      );
    });

    it('refuses calls after close, with a store error', async () => {
      const limits = await fresh();
      await limits.close();
      const err = await limits.consumeMessage('u1').catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
    });
  });
}
