import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isQueueFullError, isRateLimitedError } from './errors.js';
import { createLimiter, type Limiter } from './limiter.js';

/** The limiter (bottleneck + gate) on fake timers. */

const T0 = Date.UTC(2030, 0, 1);
let limiters: Limiter[] = [];

function limiter(...args: Parameters<typeof createLimiter>): Limiter {
  const l = createLimiter(...args);
  limiters.push(l);
  return l;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  limiters = [];
});
afterEach(async () => {
  const closing = Promise.all(limiters.map((l) => l.close()));
  await vi.advanceTimersByTimeAsync(1_000);
  await closing;
  vi.useRealTimers();
});

const never = () => new Promise<never>(() => {});

/** Schedules one job; positional here only to keep the tables of calls below short. */
function schedule<T>(
  l: Limiter,
  priority: number,
  maxWaitMs: number,
  route: string,
  signal: AbortSignal | undefined,
  task: () => Promise<T>,
): Promise<T> {
  return l.schedule({ priority, maxWaitMs, route, signal, task });
}

describe('createLimiter', () => {
  it('spaces starts by windowMs / limit + 10 % with even spacing', async () => {
    const l = limiter({ perMinute: { limit: 10, windowMs: 1_000 }, perHour: false, spacing: 'even' }, 'fp');
    const starts: number[] = [];
    const jobs = Array.from({ length: 4 }, () =>
      schedule(l, 5, 60_000, 'GET /x', undefined, async () => {
        starts.push(Date.now());
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(jobs);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps.every((g) => g >= 110)).toBe(true);
  });

  it('refuses attempts beyond maxQueued with QueueFullError', async () => {
    const l = limiter({ maxConcurrent: 1, maxQueued: 1, perMinute: false, perHour: false }, 'fp');
    const first = schedule(l, 5, 60_000, 'GET /x', undefined, never);
    await vi.advanceTimersByTimeAsync(10); // running
    const second = schedule(l, 5, 60_000, 'GET /x', undefined, never).catch(() => {}); // queued; dropped at close
    const third = schedule(l, 5, 60_000, 'GET /x', undefined, never).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(isQueueFullError(await third)).toBe(true);
    void first;
    void second;
  });

  it('fails fast with the reset time when the key is paused longer than the caller may wait', async () => {
    for (const options of [false as const, { perMinute: false as const, perHour: false as const }]) {
      const l = limiter(options, 'fp');
      l.gate.pause(T0 + 90_000);
      const pending = schedule(l, 5, 60_000, 'GET /x', undefined, async () => 'sent').catch(
        (e: unknown) => e,
      );
      await vi.advanceTimersByTimeAsync(10); // bottleneck starts jobs on its own tick
      const error = await pending;
      expect(isRateLimitedError(error) && error.resetAtMs === T0 + 90_000 && error.status === null).toBe(
        true,
      );
    }
  });

  it('holds attempts while the key is paused, then lets them through', async () => {
    const l = limiter(false, 'fp');
    l.gate.pause(T0 + 2_000);
    let sentAt = 0;
    const job = schedule(l, 5, 60_000, 'GET /x', undefined, async () => {
      sentAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(2_500);
    await job;
    expect(sentAt).toBe(T0 + 2_000);
  });

  it('lets retries (priority 4) overtake waiting first attempts (priority 5)', async () => {
    const l = limiter({ maxConcurrent: 1, perMinute: false, perHour: false }, 'fp');
    const order: string[] = [];
    let release!: () => void;
    const blocker = schedule(
      l,
      5,
      60_000,
      'GET /x',
      undefined,
      () => new Promise<void>((r) => (release = r)),
    );
    await vi.advanceTimersByTimeAsync(10);
    const first = schedule(l, 5, 60_000, 'GET /x', undefined, async () => void order.push('first attempt'));
    const retry = schedule(l, 4, 60_000, 'GET /x', undefined, async () => void order.push('retry'));
    await vi.advanceTimersByTimeAsync(10); // both queued behind the blocker
    release();
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([blocker, first, retry]);
    expect(order).toEqual(['retry', 'first attempt']);
  });
});

describe('an attempt waiting in the limiter', () => {
  it('rejects with the signal as soon as it aborts, and never runs (budget and concurrency paths)', async () => {
    const budgeted = { maxConcurrent: 1, perMinute: { limit: 1, windowMs: 60_000 }, perHour: false as const };
    const concurrencyOnly = { maxConcurrent: 1, perMinute: false as const, perHour: false as const };
    for (const options of [budgeted, concurrencyOnly]) {
      const l = limiter(options, 'fp');
      let ran = 0;
      const first = schedule(l, 5, 120_000, 'GET /x', undefined, async () => {
        ran++;
        await never();
      });
      await vi.advanceTimersByTimeAsync(10);
      const ctl = new AbortController();
      const waiting = schedule(l, 5, 120_000, 'GET /x', ctl.signal, async () => {
        ran++;
      }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10);
      ctl.abort(new Error('stop'));
      await vi.advanceTimersByTimeAsync(1);
      expect(await waiting).toMatchObject({ message: 'stop' });
      // Even once a slot frees (the budget refills), the aborted attempt does not start.
      await vi.advanceTimersByTimeAsync(61_000);
      expect(ran).toBe(1);
      void first;
    }
  });
});
