import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { LIMITS, peakVus } from './limits.js';
import { validateScenario } from './scenario.js';

function problemsOf(executors: Record<string, unknown>): string[] {
  try {
    validateScenario({ name: 'limits', executors });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

const cvus = (fields: Record<string, unknown>) => ({ executor: 'constant-vus', duration: '1s', ...fields });
const car = (fields: Record<string, unknown>) => ({
  executor: 'constant-arrival-rate',
  rate: 10,
  duration: '1s',
  preAllocatedVUs: 1,
  ...fields,
});

describe('scenario size limits', () => {
  it('accepts every size at its limit', () => {
    expect(problemsOf({ a: cvus({ vus: LIMITS.vus }) })).toEqual([]);
    expect(problemsOf({ a: car({ rate: LIMITS.ratePerSecond, maxVUs: LIMITS.vus }) })).toEqual([]);
    expect(problemsOf({ a: { executor: 'shared-iterations', iterations: LIMITS.iterations } })).toEqual([]);
    expect(problemsOf({ a: cvus({ duration: '23h', startTime: '1h' }) })).toEqual([]);
  });

  it.each([
    ['constant-vus vus', { a: cvus({ vus: 1e9 }) }, 'a.vus: expected at most 20,000 VUs'],
    [
      'ramping-vus startVUs',
      { a: { executor: 'ramping-vus', startVUs: 1e9, stages: [{ duration: '1s', target: 1 }] } },
      'a.startVUs: expected at most 20,000 VUs',
    ],
    [
      'ramping-vus target',
      { a: { executor: 'ramping-vus', stages: [{ duration: '1s', target: 1e9 }] } },
      'a.stages[0].target: expected at most 20,000 VUs',
    ],
    [
      'preAllocatedVUs',
      { a: car({ preAllocatedVUs: 1e9 }) },
      'a.preAllocatedVUs: expected at most 20,000 VUs',
    ],
    ['maxVUs', { a: car({ maxVUs: 1e9 }) }, 'a.maxVUs: expected at most 20,000 VUs'],
    ['rate', { a: car({ rate: 1e9 }) }, 'a.rate: expected at most 100,000 iterations per 1s timeUnit'],
    [
      'rate per minute',
      { a: car({ rate: 6_000_001, timeUnit: '1m' }) },
      'a.rate: expected at most 6,000,000 iterations per 1m timeUnit',
    ],
    [
      'ramping target rate',
      {
        a: {
          executor: 'ramping-arrival-rate',
          preAllocatedVUs: 1,
          stages: [{ duration: '1s', target: 1e9 }],
        },
      },
      'a.stages[0].target: expected at most 100,000',
    ],
    [
      'shared iterations',
      { a: { executor: 'shared-iterations', iterations: 1e9 } },
      'a.iterations: expected at most 10,000,000 iterations',
    ],
    [
      'per-vu vus × iterations',
      { a: { executor: 'per-vu-iterations', vus: 100, iterations: 1e6 } },
      'a.iterations: expected vus × iterations (100 × 1,000,000) to be at most 10,000,000',
    ],
    ['a duration', { a: cvus({ duration: '1000h' }) }, 'a.duration: expected a duration of at most 24h'],
    [
      'a huge number of ms',
      { a: cvus({ duration: 1e300 }) },
      'a.duration: expected a duration of at most 24h',
    ],
    [
      'gracefulStop',
      { a: cvus({ gracefulStop: '25h' }) },
      'a.gracefulStop: expected a duration of at most 24h',
    ],
    [
      'startTime + duration',
      { a: cvus({ duration: '20h', startTime: '5h' }) },
      'a.duration: expected startTime + duration to be at most 24h (it is 25h)',
    ],
    [
      'stages in all',
      {
        a: {
          executor: 'ramping-vus',
          stages: [
            { duration: '20h', target: 1 },
            { duration: '20h', target: 1 },
          ],
        },
      },
      'a.stages: expected startTime + the stages’ durations to be at most 24h (it is 40h)',
    ],
    [
      'VUs of all executors',
      { a: cvus({ vus: 15_000 }), b: cvus({ vus: 15_000 }) },
      ": expected the executors' VUs together to be at most 20,000 (they are 30,000)",
    ],
  ])('refuses %s, naming field and limit', (_, executors, expected) => {
    const problems = problemsOf(executors);
    expect(
      problems.some((p) => `executors.${p}`.includes(`executors.${expected}`) || p.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('names the value found in the error text', () => {
    expect(() => validateScenario({ name: 'x', executors: { a: cvus({ vus: 1e9 }) } })).toThrow(
      /executors\.a\.vus: expected at most 20,000 VUs \(the limit of one process\) \(got 1000000000\)/,
    );
  });

  it('peakVus reads the peak of each executor kind', () => {
    expect(peakVus({ executor: 'ramping-vus', startVUs: 0, stages: [{ target: 50 }, { target: 10 }] })).toBe(
      50,
    );
    expect(peakVus({ executor: 'constant-arrival-rate', preAllocatedVUs: 5, maxVUs: 40 })).toBe(40);
    expect(peakVus({ executor: 'constant-vus' })).toBe(1);
  });
});
