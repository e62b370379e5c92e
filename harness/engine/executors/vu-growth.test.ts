import { describe, expect, it } from 'vitest';
import { constantArrivalRateSchema } from '../../../scenarios/model/executors/index.js';
import { createVirtualClock } from '../clock-virtual.js';
import { MAX_PARALLEL_VU_INITS } from './arrival-rate-loop.js';
import { runConstantArrivalRate } from './constant-arrival-rate.js';
import { createTestSink } from './test-sink.js';

const parse = (input: Record<string, unknown>) =>
  constantArrivalRateSchema.parse({ executor: 'constant-arrival-rate', ...input });

/** An `initVu` on the virtual clock that takes `ms`, and what it saw. */
function slowInit(clock: ReturnType<typeof createVirtualClock>, ms: number) {
  const seen = { calls: [] as number[], inFlight: 0, mostInFlight: 0 };
  const initVu = (_executor: string, vu: number) => {
    seen.calls.push(vu);
    seen.inFlight++;
    seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
    return clock.sleepUntil(clock.now() + ms).then(() => {
      seen.inFlight--;
      return true;
    });
  };
  return { initVu, seen };
}

describe('arrival-rate VU growth (VUs added during the run are set up off the critical path)', () => {
  it('never sets up a pre-allocated VU, and starts iterations on free VUs on their mark while others are set up', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const { initVu, seen } = slowInit(clock, 200);
    const lateness: number[] = [];
    // 100/s, iterations of 25 ms: ~3 VUs busy at once; 2 pre-allocated, so a third is needed.
    const summary = await runConstantArrivalRate(
      parse({ rate: 100, duration: '1s', preAllocatedVUs: 2, maxVUs: 20 }),
      {
        name: 'main',
        sink,
        clock,
        initVu,
        iterationFn: async (ctx) => {
          lateness.push(clock.now() - ctx.intendedStartMs);
          await clock.sleepUntil(clock.now() + 25);
        },
      },
    );
    expect(seen.calls.every((vu) => vu > 2)).toBe(true);
    expect(summary.dropped).toBe(0);
    expect(summary.iterations).toBe(100);
    // Set-ups take 200 ms, yet most iterations start on time: the free VUs are never held by them.
    expect(lateness.filter((ms) => ms === 0).length).toBeGreaterThan(50);
    // Their time is measured on its own.
    expect(sink.trends.get('vu_init_duration{main}')?.every((ms) => ms === 200)).toBe(true);
  });

  it('a stall does not turn into a burst of new VUs: at most MAX_PARALLEL_VU_INITS set up at once', async () => {
    const base = createVirtualClock();
    // The whole generator stalls for its first 100 ms (a cold start, a GC pause): every sleep
    // before then wakes at 100, so 100 iterations fall due at once on 4 free VUs.
    const clock = {
      ...base,
      sleepUntil: (atMs: number, signal?: AbortSignal) => base.sleepUntil(Math.max(atMs, 100), signal),
    };
    const sink = createTestSink(clock);
    const { initVu, seen } = slowInit(base, 5);
    const summary = await runConstantArrivalRate(
      parse({ rate: 1_000, duration: '1s', preAllocatedVUs: 4, maxVUs: 400 }),
      { name: 'stall', sink, clock, initVu, iterationFn: () => clock.sleepUntil(clock.now() + 1) },
    );
    expect(seen.mostInFlight).toBeLessThanOrEqual(MAX_PARALLEL_VU_INITS);
    // One VU per iteration that fell due would be ~100 (and as many session requests); growth in
    // steps of at most MAX_PARALLEL_VU_INITS, while freed VUs work the backlog off, stays far below.
    expect(summary.vusMax).toBeLessThan(40);
    expect(summary.dropped).toBe(0);
    expect(summary.iterations).toBe(1_000);
  });

  it('grows as far as concurrency needs: slow iterations get the VUs they need, and no more', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const { initVu } = slowInit(clock, 10);
    // 200/s × 100 ms = 20 VUs busy at once in the steady state.
    const summary = await runConstantArrivalRate(
      parse({ rate: 200, duration: '2s', preAllocatedVUs: 5, maxVUs: 400 }),
      { name: 'need', sink, clock, initVu, iterationFn: () => clock.sleepUntil(clock.now() + 100) },
    );
    expect(summary.dropped).toBe(0);
    expect(summary.vusMax).toBeGreaterThanOrEqual(20);
    expect(summary.vusMax).toBeLessThanOrEqual(20 + MAX_PARALLEL_VU_INITS);
  });

  it('drops iterations no VU can come for (maxVUs reached), and those still waiting when the duration ends', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const { initVu } = slowInit(clock, 5_000); // set-ups outlast the run
    const summary = await runConstantArrivalRate(
      parse({ rate: 50, duration: '1s', preAllocatedVUs: 1, maxVUs: 3, gracefulStop: '0s' }),
      { name: 'cap', sink, clock, initVu, iterationFn: () => clock.sleepUntil(clock.now() + 2_000) },
    );
    // One VU, busy for the whole second; the two being set up never arrive in time.
    expect(summary.iterations + summary.interrupted).toBe(1);
    expect(summary.iterations + summary.interrupted + summary.dropped).toBe(50);
    expect(sink.counters.get('dropped_iterations{cap}')).toBe(49);
    expect(summary.vusMax).toBe(3);
  });

  it('without initVu, a new VU runs the iteration that needed it at once (no set-up, no wait)', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const lateness: number[] = [];
    const summary = await runConstantArrivalRate(
      parse({ rate: 50, duration: '1s', preAllocatedVUs: 1, maxVUs: 10 }),
      {
        name: 'plain',
        sink,
        clock,
        iterationFn: async (ctx) => {
          lateness.push(clock.now() - ctx.intendedStartMs);
          await clock.sleepUntil(clock.now() + 110);
        },
      },
    );
    expect(summary).toMatchObject({ iterations: 50, dropped: 0, vusMax: 6 });
    expect(lateness.every((ms) => ms === 0)).toBe(true);
    expect(sink.trends.has('vu_init_duration{plain}')).toBe(false);
  });
});
