import { describe, expect, it } from 'vitest';
import { rampingVusSchema } from '../../../scenarios/model/executors/index.js';
import { createVirtualClock } from '../clock-virtual.js';
import { rampingVusSteps, runRampingVus } from './ramping-vus.js';
import { createTestSink } from './test-sink.js';

describe('rampingVusSteps', () => {
  it('changes the count by one where the line crosses a whole number (k6)', () => {
    expect(
      rampingVusSteps({
        startVUs: 0,
        stages: [
          { duration: 3_000, target: 3 },
          { duration: 1_000, target: 3 },
          { duration: 2_000, target: 1 },
          { duration: 0, target: 5 },
        ],
      }),
    ).toEqual([
      { atMs: 0, vus: 0 },
      { atMs: 1_000, vus: 1 },
      { atMs: 2_000, vus: 2 },
      { atMs: 3_000, vus: 3 },
      { atMs: 5_000, vus: 2 },
      { atMs: 6_000, vus: 1 },
      { atMs: 6_000, vus: 5 },
    ]);
  });
});

describe('ramping-vus on the virtual clock', () => {
  it('has the stage targets at the stage boundaries, and ramps VUs down gracefully', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    let running = 0;
    const concurrency: { atMs: number; running: number }[] = [];
    const summary = await runRampingVus(
      rampingVusSchema.parse({
        executor: 'ramping-vus',
        startVUs: 0,
        stages: [
          { duration: '1s', target: 10 },
          { duration: '1s', target: 10 },
          { duration: '1s', target: 2 },
        ],
        gracefulRampDown: '0s',
      }),
      {
        name: 'rv',
        sink,
        clock,
        iterationFn: async (ctx) => {
          running++;
          concurrency.push({ atMs: clock.now(), running });
          await clock.sleepUntil(clock.now() + 50, ctx.signal);
          running--;
        },
      },
    );
    const vusAt = (t: number) => sink.gaugeAt('vus{rv}', t);
    expect(vusAt(0)).toBe(0);
    expect(vusAt(499)).toBe(4);
    expect(vusAt(1_000)).toBe(10);
    expect(vusAt(1_999)).toBe(10);
    expect(vusAt(2_500)).toBe(6);
    expect(vusAt(2_999)).toBe(3);
    expect(vusAt(3_000)).toBe(0); // the end
    expect(Math.max(...concurrency.map((c) => c.running))).toBe(10);
    expect(summary.vusMax).toBe(10);
    // With gracefulRampDown 0 a VU ramped down mid-iteration is interrupted at once.
    expect(summary.interrupted).toBeGreaterThan(0);
    expect(sink.gauges.get('vus_max{rv}')?.at(-1)?.value).toBe(10);
  });

  it('lets a ramped-down VU finish within gracefulRampDown and reuses VUs ramped up again', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const starts: { vu: number; atMs: number }[] = [];
    const summary = await runRampingVus(
      rampingVusSchema.parse({
        executor: 'ramping-vus',
        startVUs: 2,
        stages: [
          { duration: 0, target: 1 }, // at 0: VU 2 ramps down right after starting its iteration
          { duration: '1s', target: 1 },
          { duration: 0, target: 2 }, // at 1 s: VU 2 is back
          { duration: '500ms', target: 2 },
        ],
        gracefulRampDown: '10s',
      }),
      {
        name: 'rd',
        sink,
        clock,
        iterationFn: async (ctx) => {
          starts.push({ vu: ctx.vu, atMs: ctx.intendedStartMs });
          await clock.sleepUntil(clock.now() + 300, ctx.signal);
        },
      },
    );
    expect(summary.interrupted).toBe(0);
    expect(starts.filter((s) => s.vu === 2).map((s) => s.atMs)).toEqual([0, 1_000, 1_300]);
    expect(starts.filter((s) => s.vu === 1).map((s) => s.atMs)).toEqual([0, 300, 600, 900, 1_200]);
    expect(summary.iterations).toBe(8);
  });

  it('refuses a run that would never have a VU', () => {
    const result = rampingVusSchema.safeParse({
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [{ duration: '1s', target: 0 }],
    });
    expect(result.error?.issues[0]).toMatchObject({ path: ['stages'] });
  });
});
