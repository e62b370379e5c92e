import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rampingArrivalRateSchema } from '../../../scenarios/model/executors/index.js';
import { createVirtualClock } from '../clock-virtual.js';
import {
  rampingArrivalIntegral,
  rampingArrivalOffsets,
  runRampingArrivalRate,
} from './ramping-arrival-rate.js';
import { createTestSink } from './test-sink.js';

const all = (next: () => number | undefined) => {
  const out: number[] = [];
  for (let o = next(); o !== undefined; o = next()) out.push(o);
  return out;
};

describe('rampingArrivalOffsets', () => {
  it('puts iteration k where the area under the rate curve reaches k', () => {
    // 0 → 100/s over 2 s: rate(t) = 5e-5·t per ms, area(t) = 2.5e-5·t², area 100 at 2000.
    const offsets = all(
      rampingArrivalOffsets({ startRate: 0, timeUnit: 1_000, stages: [{ duration: 2_000, target: 100 }] }),
    );
    expect(offsets).toHaveLength(100);
    offsets.forEach((t, i) => {
      expect(t).toBeCloseTo(Math.sqrt((i + 1) / 2.5e-5), 6);
    });
    expect(offsets.at(-1)).toBe(2_000);
  });

  it('emits floor(integral) offsets, non-decreasing, within the stages, for any curve', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({
            duration: fc.integer({ min: 0, max: 3_000 }),
            target: fc.integer({ min: 0, max: 100 }),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.constantFrom(1_000, 60_000, 250),
        (startRate, stages, timeUnit) => {
          const config = { startRate, timeUnit, stages };
          const offsets = all(rampingArrivalOffsets(config));
          const integral = rampingArrivalIntegral(config);
          expect(Math.abs(offsets.length - integral)).toBeLessThan(1 + 1e-6);
          const total = stages.reduce((s, x) => s + x.duration, 0);
          for (let i = 0; i < offsets.length; i++) {
            expect(offsets[i]).toBeGreaterThanOrEqual(i > 0 ? (offsets[i - 1] as number) : 0);
            expect(offsets[i]).toBeLessThanOrEqual(total);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('ramping-arrival-rate on the virtual clock', () => {
  it('starts exactly the integral of its rate curve (ramp up, hold, ramp down)', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const config = rampingArrivalRateSchema.parse({
      executor: 'ramping-arrival-rate',
      startRate: 10,
      preAllocatedVUs: 5,
      maxVUs: 20,
      stages: [
        { duration: '2s', target: 50 }, // 60
        { duration: '1s', target: 50 }, // 50
        { duration: '4s', target: 0 }, // 100
      ],
    });
    expect(rampingArrivalIntegral(config)).toBe(210);
    const intended: number[] = [];
    const summary = await runRampingArrivalRate(config, {
      name: 'ramp',
      sink,
      clock,
      iterationFn: async (ctx) => {
        intended.push(ctx.intendedStartMs);
        await clock.sleepUntil(clock.now() + 30);
      },
    });
    expect(summary).toMatchObject({ iterations: 210, dropped: 0, interrupted: 0 });
    expect(intended).toEqual(all(rampingArrivalOffsets(config)));
    // Hold at 50/s: 20 ms apart between 2 s and 3 s.
    const hold = intended.filter((t) => t > 2_000 && t <= 3_000);
    expect(hold).toHaveLength(50);
    expect(hold.every((t, i) => i === 0 || Math.abs(t - (hold[i - 1] as number) - 20) < 1e-9)).toBe(true);
    // The last start is at the very end (7 s); it gets its 30 ms within gracefulStop.
    expect(summary.endedAtMs).toBeCloseTo(7_030, 3);
  });

  it('drops when maxVUs cannot keep up, counting started + dropped = integral', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const config = rampingArrivalRateSchema.parse({
      executor: 'ramping-arrival-rate',
      preAllocatedVUs: 1,
      maxVUs: 3,
      stages: [{ duration: '2s', target: 100 }],
    });
    const summary = await runRampingArrivalRate(config, {
      name: 'r',
      sink,
      clock,
      iterationFn: () => clock.sleepUntil(clock.now() + 100),
    });
    expect(summary.iterations + summary.dropped).toBe(100);
    expect(summary.dropped).toBeGreaterThan(0);
    expect(summary.vusMax).toBe(3);
  });

  it('requires stages and valid VU bounds, reporting all problems', () => {
    const result = rampingArrivalRateSchema.safeParse({
      executor: 'ramping-arrival-rate',
      stages: [],
      preAllocatedVUs: 5,
      maxVUs: 2,
      startRate: -1,
    });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'maxVUs',
      'stages',
      'startRate',
    ]);
  });
});
