import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constantVusSchema,
  perVuIterationsSchema,
  sharedIterationsSchema,
} from '../../../scenarios/model/executors/index.js';
import { createRealClock } from '../clock.js';
import { createVirtualClock } from '../clock-virtual.js';
import type { IterationContext } from '../types.js';
import { runConstantVus } from './constant-vus.js';
import { runPerVuIterations } from './per-vu-iterations.js';
import { runSharedIterations } from './shared-iterations.js';
import { createTestSink } from './test-sink.js';

describe('constant-vus', () => {
  it('lets timers run beside VUs whose iterations never wait, and stops them on time', async () => {
    // Real clock: the end of the run is a timer, which microtask-only VUs would starve forever.
    const clock = createRealClock();
    const sink = createTestSink(clock);
    let timerFiredAfter = -1;
    let calls = 0;
    const startedAt = clock.now();
    const timer = setTimeout(() => {
      timerFiredAfter = clock.now() - startedAt;
    }, 20);
    try {
      const summary = await runConstantVus(
        constantVusSchema.parse({ executor: 'constant-vus', vus: 3, duration: '150ms' }),
        {
          name: 'busy',
          sink,
          clock,
          // Never waits; after 2 M calls (a second or more of a starved loop) it does, so a
          // loop that never yields ends, late, and fails below instead of hanging the suite.
          iterationFn: () =>
            ++calls > 2_000_000 ? new Promise((resolve) => setTimeout(resolve, 1)) : Promise.resolve(),
        },
      );
      expect(summary.iterations).toBeGreaterThan(0);
      expect(summary.interrupted).toBe(0);
    } finally {
      clearTimeout(timer);
    }
    // The timer ran during the run, not after it: the VUs yielded to the event loop.
    expect(timerFiredAfter).toBeGreaterThanOrEqual(0);
    expect(timerFiredAfter).toBeLessThan(150);
  });

  it('keeps vus VUs looping for duration; each iteration starts when its VU became free', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    let concurrent = 0;
    let peak = 0;
    const byVu = new Map<number, number[]>();
    const summary = await runConstantVus(
      constantVusSchema.parse({ executor: 'constant-vus', vus: 4, duration: '1s' }),
      {
        name: 'cv',
        sink,
        clock,
        iterationFn: async (ctx) => {
          peak = Math.max(peak, ++concurrent);
          byVu.set(ctx.vu, [...(byVu.get(ctx.vu) ?? []), ctx.intendedStartMs]);
          await clock.sleepUntil(clock.now() + 100);
          concurrent--;
        },
      },
    );
    // Each VU: iterations at 0, 100, … 900 → 10 each; the one at 1000 never starts.
    expect(summary).toMatchObject({ iterations: 40, interrupted: 0, vusMax: 4 });
    expect(peak).toBe(4);
    expect(byVu.get(3)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(sink.gaugeAt('vus{cv}', 500)).toBe(4);
    expect(sink.gaugeAt('vus{cv}', 1_000)).toBe(0);
    expect(summary.endedAtMs).toBe(1_000);
  });

  it('lets in-flight iterations finish within gracefulStop, then aborts them', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const summary = await runConstantVus(
      constantVusSchema.parse({ executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '200ms' }),
      {
        name: 'g',
        sink,
        clock,
        // VU 1: 300 ms iterations (the one started at 900 ends at 1200: within grace).
        // VU 2: 700 ms iterations (the one started at 700 would end at 1400: cut at 1200).
        iterationFn: (ctx: IterationContext) =>
          clock.sleepUntil(clock.now() + (ctx.vu === 1 ? 300 : 700), ctx.signal),
      },
    );
    expect(summary).toMatchObject({ iterations: 4 + 1, interrupted: 1 });
    expect(summary.endedAtMs).toBe(1_200);
  });

  it('ends within gracefulStop of the end even when iterations ignore their signal', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const summary = await runConstantVus(
      constantVusSchema.parse({ executor: 'constant-vus', vus: 3, duration: '1s', gracefulStop: '1s' }),
      { name: 'stuck', sink, clock, iterationFn: () => clock.sleepUntil(1e12) },
    );
    expect(summary).toMatchObject({ iterations: 0, interrupted: 3 });
    expect(summary.endedAtMs).toBe(2_000);
  });

  it('counts rejected iterations as iterations and as failed', async () => {
    const clock = createVirtualClock();
    const summary = await runConstantVus(
      constantVusSchema.parse({ executor: 'constant-vus', vus: 1, duration: '100ms' }),
      {
        name: 'f',
        sink: createTestSink(clock),
        clock,
        iterationFn: async (ctx) => {
          await clock.sleepUntil(clock.now() + 10);
          if (ctx.vuIteration % 2 === 1) throw new Error('boom');
        },
      },
    );
    expect(summary).toMatchObject({ iterations: 10, failed: 5 });
  });
});

describe('per-vu-iterations', () => {
  it('runs exactly iterations per VU and ends when all are done', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const perVu = new Map<number, number[]>();
    const summary = await runPerVuIterations(
      perVuIterationsSchema.parse({ executor: 'per-vu-iterations', vus: 3, iterations: 7 }),
      {
        name: 'p',
        sink,
        clock,
        iterationFn: async (ctx) => {
          perVu.set(ctx.vu, [...(perVu.get(ctx.vu) ?? []), ctx.vuIteration]);
          await clock.sleepUntil(clock.now() + 10 * ctx.vu);
        },
      },
    );
    expect(summary).toMatchObject({ iterations: 21, interrupted: 0, vusMax: 3 });
    for (const vu of [1, 2, 3]) expect(perVu.get(vu)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(summary.endedAtMs).toBe(210); // the slowest VU: 7 × 30 ms
    expect(sink.gaugeAt('vus{p}', 100)).toBe(2); // VU 1 finished at 70
  });

  it('stops at maxDuration and interrupts after gracefulStop', async () => {
    const clock = createVirtualClock();
    const summary = await runPerVuIterations(
      perVuIterationsSchema.parse({
        executor: 'per-vu-iterations',
        vus: 2,
        iterations: 100,
        maxDuration: '1s',
        gracefulStop: '50ms',
      }),
      {
        name: 'p',
        sink: createTestSink(clock),
        clock,
        iterationFn: (ctx) => clock.sleepUntil(clock.now() + 300, ctx.signal),
      },
    );
    // Each VU: 0, 300, 600 complete; the one at 900 is cut at 1050.
    expect(summary).toMatchObject({ iterations: 6, interrupted: 2 });
    expect(summary.endedAtMs).toBe(1_050);
  });
});

describe('shared-iterations', () => {
  it('runs exactly the shared total, faster VUs taking more', async () => {
    const clock = createVirtualClock();
    const perVu = new Map<number, number>();
    const seen = new Set<number>();
    const summary = await runSharedIterations(
      sharedIterationsSchema.parse({ executor: 'shared-iterations', vus: 4, iterations: 101 }),
      {
        name: 's',
        sink: createTestSink(clock),
        clock,
        iterationFn: async (ctx) => {
          seen.add(ctx.iteration);
          perVu.set(ctx.vu, (perVu.get(ctx.vu) ?? 0) + 1);
          await clock.sleepUntil(clock.now() + (ctx.vu === 1 ? 5 : 20));
        },
      },
    );
    expect(summary).toMatchObject({ iterations: 101, interrupted: 0 });
    expect(seen.size).toBe(101);
    expect(Math.max(...seen)).toBe(100);
    expect(perVu.get(1)).toBeGreaterThan(perVu.get(2) as number);
  });

  it('refuses fewer iterations than VUs (as k6)', () => {
    const result = sharedIterationsSchema.safeParse({
      executor: 'shared-iterations',
      vus: 10,
      iterations: 3,
    });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['iterations'],
      message: 'expected at least as many iterations as vus (10)',
    });
  });
});

describe('iteration-count executors, any config (virtual clock)', () => {
  it('run exactly vus × iterations (per-vu) and exactly iterations (shared), each number once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 5 }),
        async (vus, iterations, lengths) => {
          const clock = createVirtualClock();
          const env = (seen: Set<number>) => ({
            name: 'x',
            sink: createTestSink(clock),
            clock,
            iterationFn: async (ctx: IterationContext) => {
              seen.add(ctx.iteration);
              await clock.sleepUntil(
                clock.now() + (lengths[(ctx.vu + ctx.vuIteration) % lengths.length] as number),
              );
            },
          });
          const perVuSeen = new Set<number>();
          const perVu = await runPerVuIterations(
            perVuIterationsSchema.parse({ executor: 'per-vu-iterations', vus, iterations }),
            env(perVuSeen),
          );
          expect(perVu.iterations).toBe(vus * iterations);
          expect(perVuSeen.size).toBe(vus * iterations);
          const sharedSeen = new Set<number>();
          const shared = await runSharedIterations(
            sharedIterationsSchema.parse({
              executor: 'shared-iterations',
              vus,
              iterations: iterations * vus,
            }),
            env(sharedSeen),
          );
          expect(shared.iterations).toBe(iterations * vus);
          expect(sharedSeen.size).toBe(iterations * vus);
        },
      ),
      { numRuns: 40 },
    );
  });
});
