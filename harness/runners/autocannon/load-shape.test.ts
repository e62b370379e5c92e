import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { loadShape } from './load-shape.js';

const withExecutors = (executors: Record<string, unknown>) =>
  validateScenario({ name: 's', executors, workload: { mix: { getSession: 1 } } });

describe('loadShape', () => {
  it("takes the scenario's VUs, rate and length, and lets the flags win", () => {
    const s = withExecutors({
      a: { executor: 'constant-arrival-rate', rate: 50, duration: '30s', preAllocatedVUs: 5, maxVUs: 20 },
      b: { executor: 'constant-vus', vus: 3, duration: '10s', startTime: '25s' },
    });
    expect(loadShape(s, {})).toEqual({ connections: 23, ratePerSec: 50, durationMs: 35_000, notes: [] });
    expect(loadShape(s, { connections: 4, rate: null, durationMs: 2_000 })).toMatchObject({
      connections: 4,
      ratePerSec: null,
      durationMs: 2_000,
    });
  });

  it('flattens a ramp to its peak, rounds the rate and cuts connections to it, saying so', () => {
    const s = withExecutors({
      r: {
        executor: 'ramping-arrival-rate',
        preAllocatedVUs: 10,
        maxVUs: 40,
        stages: [
          { duration: '1s', target: 10.4 },
          { duration: '1s', target: 2 },
        ],
      },
    });
    const shape = loadShape(s, {});
    expect(shape).toMatchObject({ connections: 10, ratePerSec: 10, durationMs: 2_000 });
    expect(shape.notes.join('\n')).toMatch(/rounded to 10\/s[\s\S]*peak[\s\S]*cut from 40 to 10/);
  });

  it('names every bad flag at once', () => {
    const s = withExecutors({ a: { executor: 'constant-vus', vus: 1, duration: '1s' } });
    expect(() => loadShape(s, { connections: 0, durationMs: 10, rate: 0.5 })).toThrow(
      /--connections must be .*; --duration must be .*; --rate must be/,
    );
  });
});
