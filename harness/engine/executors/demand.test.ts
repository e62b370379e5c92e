import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import { constantArrivalOffsets } from './constant-arrival-rate.js';
import { demandedIterations } from './demand.js';
import { rampingArrivalOffsets } from './ramping-arrival-rate.js';

function count(next: () => number | undefined): number {
  let n = 0;
  while (next() !== undefined) n++;
  return n;
}

describe('demandedIterations', () => {
  it('is the iteration count of iteration-bounded executors and null for time-based closed ones', () => {
    expect(
      demandedIterations(resolveExecutorConfig({ executor: 'per-vu-iterations', vus: 3, iterations: 7 })),
    ).toBe(21);
    expect(
      demandedIterations(resolveExecutorConfig({ executor: 'shared-iterations', vus: 10, iterations: 101 })),
    ).toBe(101);
    expect(
      demandedIterations(resolveExecutorConfig({ executor: 'constant-vus', vus: 2, duration: '1s' })),
    ).toBe(null);
  });

  // Counting the generator's offsets one by one is the reference, and it costs one call per
  // offset: the full ranges (2,000 per 1 ms for 60 s) reach 120 million a case. The generated
  // cases keep the rate, time unit and duration ranges but shorten the duration to at most
  // MAX_COUNTED offsets; a few fixed long schedules keep millions of offsets in the comparison,
  // where a closed form's float rounding would drift first.
  const MAX_COUNTED = 100_000;
  const constantArrival = fc
    .tuple(fc.double({ min: 0.01, max: 2_000, noNaN: true }), fc.constantFrom(1, 1_000, 60_000))
    .chain(([rate, timeUnit]) =>
      fc.tuple(
        fc.constant(rate),
        fc.integer({
          min: 1,
          max: Math.max(1, Math.min(60_000, Math.floor((MAX_COUNTED * timeUnit) / rate))),
        }),
        fc.constant(timeUnit),
      ),
    );
  const matchesTheGenerator = (rate: number, duration: number, timeUnit: number) => {
    const config = resolveExecutorConfig({
      executor: 'constant-arrival-rate',
      rate,
      duration,
      timeUnit,
      preAllocatedVUs: 1,
    });
    const expected = count(constantArrivalOffsets({ rate, timeUnit, duration }));
    expect(demandedIterations(config)).toBe(expected);
  };

  it('equals the number of offsets a constant-arrival-rate schedule yields', () => {
    fc.assert(
      fc.property(constantArrival, ([rate, duration, timeUnit]) =>
        matchesTheGenerator(rate, duration, timeUnit),
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    [2_000, 1, 3_001],
    [1_999.7, 1, 3_001],
    [1_234.567_89, 1, 2_718],
    [1_999.99, 1_000, 60_000],
  ])(
    'equals the number of offsets of a long constant-arrival-rate schedule: %d per %d ms for %d ms',
    (rate, timeUnit, duration) => {
      matchesTheGenerator(rate, duration, timeUnit);
    },
  );

  it('equals the number of offsets a ramping-arrival-rate schedule yields', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.array(
          fc.record({
            duration: fc.integer({ min: 0, max: 5_000 }),
            target: fc.integer({ min: 0, max: 200 }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (startRate, stages) => {
          const config = resolveExecutorConfig({
            executor: 'ramping-arrival-rate',
            startRate,
            stages,
            preAllocatedVUs: 1,
          });
          if (config.executor !== 'ramping-arrival-rate') throw new Error('unreachable');
          expect(demandedIterations(config)).toBe(count(rampingArrivalOffsets(config)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
