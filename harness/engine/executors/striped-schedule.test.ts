import { describe, expect, it } from 'vitest';
import {
  constantArrivalRateSchema,
  rampingArrivalRateSchema,
} from '../../../scenarios/model/executors/index.js';
import { createVirtualClock } from '../clock-virtual.js';
import { runConstantArrivalRate } from './constant-arrival-rate.js';
import { demandedIterations } from './demand.js';
import { runRampingArrivalRate } from './ramping-arrival-rate.js';
import { stripedOffsets } from './striped-schedule.js';
import { createTestSink } from './test-sink.js';

/** The intended starts a run of `run` on the virtual clock gives its iterations. */
async function intendedStarts(
  run: (env: Parameters<typeof runConstantArrivalRate>[1]) => ReturnType<typeof runConstantArrivalRate>,
) {
  const clock = createVirtualClock();
  const intended: number[] = [];
  const summary = await run({
    name: 'main',
    sink: createTestSink(clock),
    clock,
    iterationFn: async (ctx) => {
      intended.push(ctx.intendedStartMs);
      await clock.sleepUntil(clock.now() + 5);
    },
  });
  return { intended, summary };
}

describe('stripedOffsets', () => {
  it('yields offsets index, index + count, … of the schedule', () => {
    const all = [0, 10, 20, 30, 40, 50, 60];
    let i = 0;
    const next = stripedOffsets(() => all[i++], { index: 1, count: 3 });
    expect([next(), next(), next()]).toEqual([10, 40, undefined]);
  });
});

describe('arrival-rate executors running a stripe', () => {
  it('constant-arrival-rate: each stripe starts its share on the one-process marks, and they add up to it', async () => {
    const config = (stripe?: { index: number; count: number }) =>
      constantArrivalRateSchema.parse({
        executor: 'constant-arrival-rate',
        rate: 10,
        duration: '1s',
        preAllocatedVUs: 2,
        ...(stripe && { stripe }),
      });
    const whole = await intendedStarts((env) => runConstantArrivalRate(config(), env));
    const parts = await Promise.all(
      [0, 1, 2].map((index) =>
        intendedStarts((env) => runConstantArrivalRate(config({ index, count: 3 }), env)),
      ),
    );
    expect(parts.map((p) => p.intended)).toEqual([
      [0, 300, 600, 900],
      [100, 400, 700],
      [200, 500, 800],
    ]);
    expect([0, 1, 2].map((index) => demandedIterations(config({ index, count: 3 })))).toEqual([4, 3, 3]);
    expect(parts.map((p) => p.summary.iterations)).toEqual([4, 3, 3]);
    expect(parts.flatMap((p) => p.intended).sort((a, b) => a - b)).toEqual(whole.intended);
  });

  it('ramping-arrival-rate: the stripes partition the ramp, demanded as run', async () => {
    const config = (stripe?: { index: number; count: number }) =>
      rampingArrivalRateSchema.parse({
        executor: 'ramping-arrival-rate',
        preAllocatedVUs: 2,
        stages: [{ duration: '2s', target: 20 }],
        ...(stripe && { stripe }),
      });
    const whole = await intendedStarts((env) => runRampingArrivalRate(config(), env));
    const parts = await Promise.all(
      [0, 1].map((index) => intendedStarts((env) => runRampingArrivalRate(config({ index, count: 2 }), env))),
    );
    expect(whole.intended).toHaveLength(20);
    expect(parts.map((p) => demandedIterations(config({ index: parts.indexOf(p), count: 2 })))).toEqual([
      10, 10,
    ]);
    expect(parts.flatMap((p) => p.intended).sort((a, b) => a - b)).toEqual(whole.intended);
  });
});
