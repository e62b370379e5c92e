import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantArrivalOffsets } from '../../harness/engine/executors/constant-arrival-rate.js';
import { demandedIterations } from '../../harness/engine/executors/demand.js';
import { rampingArrivalOffsets } from '../../harness/engine/executors/ramping-arrival-rate.js';
import { stripedOffsets } from '../../harness/engine/executors/striped-schedule.js';
import { isUsageError } from '../../harness/util/errors.js';
import type { ExecutorConfig } from './executors/executor-config.js';
import { stripedCount } from './executors/stripe.js';
import type { Scenario } from './scenario.js';
import { validateScenario } from './scenario.js';
import { checkSegment, evenShare, segmentOf } from './segments.js';

const scenarioWith = (executors: Record<string, unknown>): Scenario =>
  validateScenario({ name: 'split', executors });

/** Every segment of `scenario` over `count`, validated again as a run would (so each is a valid scenario). */
const segments = (scenario: Scenario, count: number) =>
  Array.from({ length: count }, (_, i) => validateScenario(segmentOf(scenario, i, count), `segment ${i}`));

const executorsNamed = (parts: Scenario[], name: string): ExecutorConfig[] =>
  parts.flatMap((p) => (p.executors[name] === undefined ? [] : [p.executors[name]!]));

const collect = (next: () => number | undefined): number[] => {
  const out: number[] = [];
  for (let o = next(); o !== undefined; o = next()) out.push(o);
  return out;
};

const FAST = { seed: 13, numRuns: 150 };

describe('evenShare', () => {
  it('splits 10 over 3 into 4, 3, 3 and 2 over 3 into 1, 1, 0', () => {
    expect([0, 1, 2].map((i) => evenShare(10, i, 3))).toEqual([4, 3, 3]);
    expect([0, 1, 2].map((i) => evenShare(2, i, 3))).toEqual([1, 1, 0]);
  });

  it('always sums to the whole, parts differing by at most one', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 1_000 }), (total, count) => {
        const parts = Array.from({ length: count }, (_, i) => evenShare(total, i, count));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
      FAST,
    );
  });
});

describe('segmentOf', () => {
  it('splits constant-vus VUs, and per-vu-iterations totals follow the VUs', () => {
    const s = scenarioWith({
      a: { executor: 'constant-vus', vus: 10, duration: '5s' },
      b: { executor: 'per-vu-iterations', vus: 5, iterations: 7 },
    });
    const parts = segments(s, 3);
    expect(executorsNamed(parts, 'a').map((e) => (e as { vus: number }).vus)).toEqual([4, 3, 3]);
    expect(executorsNamed(parts, 'b').map((e) => demandedIterations(e))).toEqual([14, 14, 7]);
  });

  it('splits shared-iterations without losing the remainder (10 over 3 → 4, 3, 3)', () => {
    const s = scenarioWith({ main: { executor: 'shared-iterations', vus: 3, iterations: 10 } });
    const parts = executorsNamed(segments(s, 3), 'main');
    expect(parts.map((e) => (e as { iterations: number }).iterations)).toEqual([4, 3, 3]);
    expect(parts.map((e) => (e as { vus: number }).vus)).toEqual([1, 1, 1]);
  });

  it('stripes an arrival rate: the segments start exactly the one-process schedule', () => {
    // 10/s for 1 s: fractional rates of 10/3 would start 4 + 4 + 4 = 12.
    const s = scenarioWith({
      main: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 4, maxVUs: 8 },
    });
    const parts = executorsNamed(segments(s, 3), 'main');
    expect(parts.map((e) => demandedIterations(e))).toEqual([4, 3, 3]);
    expect(parts.map((e) => (e as { maxVUs: number }).maxVUs)).toEqual([3, 3, 2]);
    expect(parts.map((e) => (e as { preAllocatedVUs: number }).preAllocatedVUs)).toEqual([2, 1, 1]);
    const union = parts
      .flatMap((e) =>
        collect(stripedOffsets(constantArrivalOffsets(e as never), (e as never as { stripe: never }).stripe)),
      )
      .sort((a, b) => a - b);
    expect(union).toEqual(collect(constantArrivalOffsets({ rate: 10, timeUnit: 1_000, duration: 1_000 })));
  });

  it('runs an executor with fewer VUs than segments in its first segments only, one VU each', () => {
    const s = scenarioWith({
      warm: { executor: 'constant-vus', vus: 1, duration: '1s' },
      main: { executor: 'constant-arrival-rate', rate: 30, duration: '1s', preAllocatedVUs: 1, maxVUs: 2 },
      load: { executor: 'constant-vus', vus: 3, duration: '1s' },
    });
    const parts = segments(s, 3);
    expect(parts.map((p) => Object.keys(p.executors).sort())).toEqual([
      ['load', 'main', 'warm'],
      ['load', 'main'],
      ['load'],
    ]);
    // Striped 2 ways, not 3: the union is still the whole schedule (30).
    expect(executorsNamed(parts, 'main').map((e) => demandedIterations(e))).toEqual([15, 15]);
  });

  it('refuses a segment that would run nothing, naming the bounds', () => {
    const s = scenarioWith({ main: { executor: 'constant-vus', vus: 2, duration: '1s' } });
    let caught: unknown;
    try {
      segmentOf(s, 2, 3);
    } catch (err) {
      caught = err;
    }
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(
      /Segment 2 of 3 .* would run nothing.*main: 2.*at most 2 segments/,
    );
  });

  it('refuses a bad index or count, and splitting a stripe again', () => {
    expect(() => checkSegment({ index: 3, count: 3 }, '--segment 3/3')).toThrow(/from 0 to 2 \(got 3\)/);
    expect(() => checkSegment({ index: 0, count: 0 }, '--segments 0')).toThrow(/from 1 to 1000 \(got 0\)/);
    const s = scenarioWith({
      main: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 4 },
    });
    expect(() => segmentOf(segmentOf(s, 0, 2), 0, 2)).toThrow(/already runs stripe 0\/2/);
  });

  it('is the scenario itself for one segment', () => {
    const s = scenarioWith({ main: { executor: 'constant-vus', vus: 2, duration: '1s' } });
    expect(segmentOf(s, 0, 1)).toBe(s);
  });

  // The property: for any executor and any number of segments, the shares sum to the whole.
  const count = fc.integer({ min: 1, max: 40 });
  const vus = fc.integer({ min: 1, max: 500 });

  it('property: VUs and iterations of closed-model executors always sum to the whole', () => {
    fc.assert(
      fc.property(
        count,
        vus,
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 50 }),
        (n, v, extra, per) => {
          const s = scenarioWith({
            cv: { executor: 'constant-vus', vus: v, duration: '1s' },
            si: { executor: 'shared-iterations', vus: v, iterations: v + extra },
            pv: { executor: 'per-vu-iterations', vus: v, iterations: per },
          });
          const parts = segments(s, Math.min(n, v));
          const sum = (name: string, pick: (e: ExecutorConfig) => number) =>
            executorsNamed(parts, name).reduce((a, e) => a + pick(e), 0);
          expect(sum('cv', (e) => (e as { vus: number }).vus)).toBe(v);
          expect(sum('si', (e) => (e as { vus: number }).vus)).toBe(v);
          expect(sum('si', (e) => demandedIterations(e)!)).toBe(v + extra);
          expect(sum('pv', (e) => demandedIterations(e)!)).toBe(v * per);
        },
      ),
      FAST,
    );
  });

  it('property: ramping-vus stage targets sum to the whole at every stage', () => {
    fc.assert(
      fc.property(
        count,
        fc.nat(300),
        fc.array(fc.nat(300), { minLength: 1, maxLength: 4 }),
        (n, start, targets) => {
          fc.pre(start > 0 || targets.some((t) => t > 0));
          const s = scenarioWith({
            rv: {
              executor: 'ramping-vus',
              startVUs: start,
              stages: targets.map((target) => ({ duration: 1_000, target })),
            },
          });
          const parts = executorsNamed(
            segments(s, Math.min(n, Math.max(start, ...targets))),
            'rv',
          ) as Extract<ExecutorConfig, { executor: 'ramping-vus' }>[];
          expect(parts.reduce((a, e) => a + e.startVUs, 0)).toBe(start);
          targets.forEach((t, k) => {
            expect(parts.reduce((a, e) => a + e.stages[k]!.target, 0)).toBe(t);
          });
        },
      ),
      FAST,
    );
  });

  it('property: arrival-rate stripes partition the schedule and VUs sum to the whole', () => {
    fc.assert(
      fc.property(
        count,
        fc.double({ min: 0.5, max: 2_000, noNaN: true }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        (n, rate, durationMs, pre, more) => {
          const s = scenarioWith({
            car: {
              executor: 'constant-arrival-rate',
              rate,
              duration: durationMs,
              preAllocatedVUs: pre,
              maxVUs: pre + more + 1,
            },
            rar: {
              executor: 'ramping-arrival-rate',
              preAllocatedVUs: pre,
              maxVUs: pre + more + 1,
              stages: [
                { duration: durationMs, target: rate },
                { duration: durationMs, target: rate / 3 },
              ],
            },
          });
          const parts = segments(s, Math.min(n, pre + more + 1));
          for (const name of ['car', 'rar']) {
            const mine = executorsNamed(parts, name) as Extract<ExecutorConfig, { maxVUs: number }>[];
            expect(mine.reduce((a, e) => a + e.maxVUs, 0)).toBe(pre + more + 1);
            expect(mine.reduce((a, e) => a + e.preAllocatedVUs, 0)).toBe(pre);
            expect(mine.reduce((a, e) => a + demandedIterations(e)!, 0)).toBe(
              demandedIterations(s.executors[name]!),
            );
          }
          // The offsets themselves: the union of the stripes is the whole schedule, in order.
          const whole = s.executors.car as Extract<ExecutorConfig, { executor: 'constant-arrival-rate' }>;
          if (demandedIterations(whole)! <= 5_000) {
            const union = (executorsNamed(parts, 'car') as (typeof whole)[])
              .flatMap((e) => collect(stripedOffsets(constantArrivalOffsets(e), e.stripe)))
              .sort((a, b) => a - b);
            expect(union).toEqual(collect(constantArrivalOffsets(whole)));
          }
          const ramp = s.executors.rar as Extract<ExecutorConfig, { executor: 'ramping-arrival-rate' }>;
          expect(
            (executorsNamed(parts, 'rar') as (typeof ramp)[]).reduce(
              (a, e) => a + collect(stripedOffsets(rampingArrivalOffsets(e), e.stripe)).length,
              0,
            ),
          ).toBe(collect(rampingArrivalOffsets(ramp)).length);
        },
      ),
      { seed: 13, numRuns: 60 },
    );
  });
});

describe('stripedCount', () => {
  it('counts i ≡ index (mod count) below total', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 50 }), (total, count) => {
        const counts = Array.from({ length: count }, (_, index) => stripedCount(total, { index, count }));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(counts).toEqual(Array.from({ length: count }, (_, i) => evenShare(total, i, count)));
      }),
      FAST,
    );
  });
});
