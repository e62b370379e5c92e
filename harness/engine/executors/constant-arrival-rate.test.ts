import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantArrivalRateSchema } from '../../../scenarios/model/executors/index.js';
import { createRealClock } from '../clock.js';
import { createVirtualClock } from '../clock-virtual.js';
import type { IterationContext } from '../types.js';
import { constantArrivalOffsets, runConstantArrivalRate } from './constant-arrival-rate.js';
import { createTestSink } from './test-sink.js';

const parse = (input: Record<string, unknown>) =>
  constantArrivalRateSchema.parse({ executor: 'constant-arrival-rate', ...input });

describe('constantArrivalOffsets', () => {
  it('schedules i·timeUnit/rate from a fixed start: exactly ceil(duration·rate/timeUnit)', () => {
    const collect = (next: () => number | undefined) => {
      const out: number[] = [];
      for (let o = next(); o !== undefined; o = next()) out.push(o);
      return out;
    };
    const offsets = collect(constantArrivalOffsets({ rate: 50, timeUnit: 1_000, duration: 2_000 }));
    expect(offsets).toHaveLength(100);
    expect(offsets.every((o, i) => o === i * 20)).toBe(true);
    // A period that is not a whole number of ms: still 3 per second, the 4th lands on 1000.
    expect(collect(constantArrivalOffsets({ rate: 3, timeUnit: 1_000, duration: 1_000 }))).toHaveLength(3);
    expect(collect(constantArrivalOffsets({ rate: 7, timeUnit: 60_000, duration: 3_600_000 }))).toHaveLength(
      420,
    );
  });
});

describe('constant-arrival-rate on the virtual clock', () => {
  it('starts exactly 100 iterations at 50/s for 2 s, each on its mark, none dropped', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const starts: number[] = [];
    const intended: number[] = [];
    const summary = await runConstantArrivalRate(parse({ rate: 50, duration: '2s', preAllocatedVUs: 2 }), {
      name: 'main',
      sink,
      clock,
      iterationFn: async (ctx) => {
        starts.push(clock.now());
        intended.push(ctx.intendedStartMs);
        await clock.sleepUntil(clock.now() + 15);
      },
    });
    expect(summary).toMatchObject({ iterations: 100, dropped: 0, interrupted: 0, vusMax: 2 });
    expect(intended).toEqual(Array.from({ length: 100 }, (_, i) => i * 20));
    expect(starts).toEqual(intended);
    expect(sink.counters.get('iterations{main}')).toBe(100);
    expect(sink.trends.get('iteration_duration{main}')?.every((d) => d === 15)).toBe(true);
    expect(summary.endedAtMs).toBe(2_000); // the duration is honoured even though work ended at 1995
  });

  it('drops what it cannot start when maxVUs are all busy: started + dropped = scheduled', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    // 50/s, each iteration takes 110 ms, so 6 VUs would be needed; 2 pre-allocated, 4 at most.
    const summary = await runConstantArrivalRate(
      parse({ rate: 50, duration: '2s', preAllocatedVUs: 2, maxVUs: 4 }),
      { name: 'slow', sink, clock, iterationFn: () => clock.sleepUntil(clock.now() + 110) },
    );
    expect(summary.vusMax).toBe(4);
    expect(summary.iterations + summary.dropped).toBe(100);
    expect(summary.dropped).toBeGreaterThan(0);
    expect(sink.counters.get('dropped_iterations{slow}')).toBe(summary.dropped);
    // With 4 VUs of 110 ms at a 20 ms period, a VU frees every 120 ms per VU: 4 per 120 ms window.
    expect(summary.iterations).toBe(68);
    expect(sink.gauges.get('vus_max{slow}')?.map((p) => p.value)).toEqual([1, 2, 3, 4]);
  });

  it('allocates VUs beyond preAllocatedVUs up to maxVUs instead of dropping', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const summary = await runConstantArrivalRate(
      parse({ rate: 50, duration: '1s', preAllocatedVUs: 1, maxVUs: 10 }),
      { name: 'grow', sink, clock, iterationFn: () => clock.sleepUntil(clock.now() + 110) },
    );
    expect(summary).toMatchObject({ iterations: 50, dropped: 0, vusMax: 6 });
  });

  it('stops at the end of duration and interrupts what outlives gracefulStop', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const aborted: number[] = [];
    const summary = await runConstantArrivalRate(
      parse({ rate: 10, duration: '1s', preAllocatedVUs: 20, gracefulStop: '500ms' }),
      {
        name: 'long',
        sink,
        clock,
        iterationFn: async (ctx: IterationContext) => {
          // 0..4 take 100 ms; 5..9 take 2 s and are cut at 1.5 s.
          await clock.sleepUntil(clock.now() + (ctx.iteration < 5 ? 100 : 2_000), ctx.signal);
          if (ctx.signal.aborted) aborted.push(clock.now());
        },
      },
    );
    expect(summary).toMatchObject({ iterations: 5, interrupted: 5, dropped: 0 });
    expect(summary.endedAtMs).toBe(1_500);
    expect(aborted).toEqual([1_500, 1_500, 1_500, 1_500, 1_500]);
  });

  it('validates every field at once', () => {
    const result = constantArrivalRateSchema.safeParse({
      executor: 'constant-arrival-rate',
      rate: -5,
      duration: 'soon',
      preAllocatedVUs: 10,
      maxVUs: 5,
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['rate', 'expected a positive number'],
      ['duration', expect.stringMatching(/^expected a duration/)],
      ['maxVUs', 'expected maxVUs ≥ preAllocatedVUs (10)'],
    ]);
    expect(parse({ rate: 1, duration: 1_000, preAllocatedVUs: 3 })).toMatchObject({
      maxVUs: 3,
      timeUnit: 1_000,
      gracefulStop: 30_000,
      startTime: 0,
    });
  });
});

describe('constant-arrival-rate, any config (virtual clock)', () => {
  it('accounts for every scheduled iteration: completed + dropped + interrupted = ceil(duration·rate/timeUnit)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }), // rate
        fc.constantFrom(1_000, 500, 60_000), // timeUnit
        fc.integer({ min: 1, max: 3_000 }), // duration, ms
        fc.integer({ min: 0, max: 4 }), // preAllocatedVUs
        fc.integer({ min: 0, max: 6 }), // extra VUs
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 7 }), // iteration lengths, ms
        fc.integer({ min: 0, max: 300 }), // gracefulStop, ms
        async (rate, timeUnit, duration, pre, extra, lengths, gracefulStop) => {
          const clock = createVirtualClock();
          const config = parse({
            rate,
            timeUnit,
            duration,
            preAllocatedVUs: pre,
            maxVUs: Math.max(1, pre + extra),
            gracefulStop,
          });
          const intended: number[] = [];
          const summary = await runConstantArrivalRate(config, {
            name: 'p',
            sink: createTestSink(clock),
            clock,
            iterationFn: async (ctx) => {
              intended.push(ctx.intendedStartMs);
              await clock.sleepUntil(
                clock.now() + (lengths[ctx.iteration % lengths.length] as number),
                ctx.signal,
              );
            },
          });
          const scheduled = Math.ceil((duration * rate) / timeUnit - 1e-9);
          expect(summary.iterations + summary.interrupted).toBe(intended.length);
          expect(intended.length + summary.dropped).toBe(scheduled);
          expect(summary.vusMax).toBeLessThanOrEqual(Math.max(1, pre + extra));
          expect(summary.endedAtMs).toBeLessThanOrEqual(duration + gracefulStop);
          // Every start on the grid i·timeUnit/rate, in order.
          intended.forEach((t, i) => {
            if (i > 0) expect(t).toBeGreaterThan(intended[i - 1] as number);
            const k = (t * rate) / timeUnit;
            expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('constant-arrival-rate on the real clock', () => {
  it('does not drift: intended starts are exactly start + i·period, lateness is recorded', async () => {
    const clock = createRealClock();
    const sink = createTestSink(clock);
    const intended: number[] = [];
    const lateness: number[] = [];
    const summary = await runConstantArrivalRate(
      parse({ rate: 200, duration: '1s', preAllocatedVUs: 10, maxVUs: 50 }),
      {
        name: 'real',
        sink,
        clock,
        iterationFn: async (ctx) => {
          lateness.push(clock.now() - ctx.intendedStartMs);
          intended.push(ctx.intendedStartMs);
        },
      },
    );
    expect(summary.iterations + summary.dropped).toBe(200);
    expect(summary.dropped).toBe(0);
    const start = summary.startedAtMs as number;
    expect(intended.every((t, i) => t === start + (i * 1_000) / 200)).toBe(true);
    expect(lateness.every((l) => l >= 0)).toBe(true);
    const sorted = [...lateness].sort((a, b) => a - b);
    // Generous: a noisy 2-core CI box. The point is that lateness does not accumulate.
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
    expect(lateness.at(-1)).toBeLessThan(1_000);
    expect(sink.trends.get('iteration_duration{real}')).toHaveLength(200);
  });
});

describe('constant-arrival-rate that falls far behind', () => {
  it('drops what is due in bulk and stops on time instead of working off the backlog', async () => {
    const virtual = createVirtualClock();
    // Each pass through the clock costs the loop 0.05 ms, as a macrotask does on a real
    // machine: an executor that yields once per missed iteration falls ever further behind.
    const clock = {
      now: () => virtual.now(),
      sleepUntil: (atMs: number, signal?: AbortSignal) =>
        virtual.sleepUntil(Math.max(atMs, virtual.now() + 0.05), signal),
    };
    const sink = createTestSink(clock);
    const config = parse({
      rate: 100_000,
      duration: '2s',
      gracefulStop: '1s',
      preAllocatedVUs: 4,
      maxVUs: 4,
    });
    const summary = await runConstantArrivalRate(config, {
      name: 'flood',
      sink,
      clock,
      iterationFn: () => clock.sleepUntil(clock.now() + 10),
    });
    expect(summary.endedAtMs).toBeLessThanOrEqual(2_000 + 1_000);
    expect(summary.iterations + summary.dropped + summary.interrupted).toBe(200_000);
    expect(summary.dropped).toBeGreaterThan(199_000);
    expect(sink.counters.get('dropped_iterations{flood}')).toBe(summary.dropped);
  });
});

describe('constant-arrival-rate at the end of its duration', () => {
  // Every sleep wakes `lateMs` after it was due, as a timer a tick late does.
  const lateClock = (lateMs: number) => {
    const base = createVirtualClock();
    return {
      ...base,
      sleepUntil: (atMs: number, signal?: AbortSignal) => base.sleepUntil(atMs + lateMs, signal),
    };
  };

  it('starts an iteration due before the end that its timer wakes a tick after it (no drop)', async () => {
    const clock = lateClock(1);
    // 1,000/s for 1 s: the last iteration is due at 999 ms and wakes at 1,000.
    const summary = await runConstantArrivalRate(parse({ rate: 1_000, duration: '1s', preAllocatedVUs: 5 }), {
      name: 'tick',
      sink: createTestSink(clock),
      clock,
      iterationFn: async () => {},
    });
    expect(summary).toMatchObject({ iterations: 1_000, dropped: 0 });
  });

  it('drops what a loop far behind at the end has not started', async () => {
    const clock = lateClock(300);
    const summary = await runConstantArrivalRate(parse({ rate: 10, duration: '1s', preAllocatedVUs: 5 }), {
      name: 'behind',
      sink: createTestSink(clock),
      clock,
      iterationFn: async () => {},
    });
    // Each wake is 300 ms late: the iteration due at 800 ms wakes at 1,100, past the grace.
    expect(summary.dropped).toBeGreaterThan(0);
    expect(summary.iterations + summary.dropped).toBe(10);
  });
});
