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

  it('equals the number of offsets a constant-arrival-rate schedule yields', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 2_000, noNaN: true }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.constantFrom(1, 1_000, 60_000),
        (rate, duration, timeUnit) => {
          const config = resolveExecutorConfig({
            executor: 'constant-arrival-rate',
            rate,
            duration,
            timeUnit,
            preAllocatedVUs: 1,
          });
          const expected = count(constantArrivalOffsets({ rate, timeUnit, duration }));
          expect(demandedIterations(config)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

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
