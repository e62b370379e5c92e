import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { allowedRequests, capacityWarning, clientOptionsFor, runBudgets } from './client-budgets.js';
import type { TargetBudgets } from './target.js';

/** What the targets of each kind announce (harness/targets/): the mock its limits, the real API its quota. */
const REAL: TargetBudgets = {
  from: 'quota',
  perMinute: { limit: 60, windowMs: 60_000 },
  perHour: { limit: 1_000, windowMs: 3_600_000 },
};
const SERVER: TargetBudgets = { from: 'server' };
const ofMock = (s: Scenario): TargetBudgets => ({ from: 'mock', limits: s.mock.limits });

const scenario = (extra: Record<string, unknown> = {}) =>
  validateScenario({
    name: 's',
    executors: {
      main: {
        executor: 'constant-arrival-rate',
        rate: 30,
        duration: '3s',
        gracefulStop: '2s',
        preAllocatedVUs: 5,
      },
    },
    ...extra,
  });

describe('runBudgets', () => {
  it('gives the mock target the mock’s limits, a url target none of its own, the real API its quota', () => {
    expect(runBudgets(scenario(), ofMock(scenario()))).toMatchObject({
      source: 'mock',
      perMinute: { limit: 60, windowMs: 60_000 },
      perHour: { limit: 1_000, windowMs: 3_600_000 },
    });
    expect(
      runBudgets(scenario({ mock: { limits: false } }), ofMock(scenario({ mock: { limits: false } }))),
    ).toMatchObject({
      source: 'none',
      perMinute: false,
      allowedPerSec: null,
    });
    expect(runBudgets(scenario(), SERVER)).toMatchObject({
      source: 'server',
      perMinute: false,
      perHour: false,
    });
    expect(runBudgets(scenario(), SERVER).text).toMatch(/follows the server's X-RateLimit-\*/);
    expect(runBudgets(scenario(), REAL)).toMatchObject({
      source: 'real',
      perMinute: { limit: 60, windowMs: 60_000 },
      perHour: { limit: 1_000, windowMs: 3_600_000 },
    });
  });

  it('lets the scenario’s own budgets win, but never above the real quota', () => {
    const own = scenario({ client: { rateLimit: { perMinute: { limit: 600, windowMs: 60_000 } } } });
    expect(runBudgets(own, SERVER)).toMatchObject({
      source: 'scenario',
      perMinute: { limit: 600 },
      perHour: false,
    });
    expect(runBudgets(own, REAL).perMinute).toEqual({ limit: 60, windowMs: 60_000 });
    const lower = scenario({ client: { rateLimit: { perMinute: { limit: 10, windowMs: 60_000 } } } });
    expect(runBudgets(lower, REAL).perMinute).toEqual({ limit: 10, windowMs: 60_000 });
  });

  it('passes the budgets to the client, unless the target turns them off (pact)', () => {
    const s = scenario();
    expect(clientOptionsFor(s, {}, runBudgets(s, SERVER)).rateLimit).toMatchObject({
      perMinute: false,
      perHour: false,
    });
    expect(clientOptionsFor(s, { rateLimit: false }, runBudgets(s, SERVER)).rateLimit).toBe(false);
  });
});

describe('capacity', () => {
  it('counts what each window lets through in the run’s length', () => {
    const b = runBudgets(scenario(), ofMock(scenario()));
    expect(allowedRequests(b, 5_000)).toBe(60);
    expect(allowedRequests(b, 90_000)).toBe(120);
    expect(allowedRequests(runBudgets(scenario(), SERVER), 5_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('warns when the demanded iterations exceed what the budget lets through, and only then', () => {
    expect(capacityWarning(scenario(), runBudgets(scenario(), ofMock(scenario())))).toMatch(
      /demands 90 iterations .* in at most 5 s, but the client's budget lets 60 requests through/,
    );
    const small = scenario({
      executors: { main: { executor: 'constant-arrival-rate', rate: 5, duration: '3s', preAllocatedVUs: 5 } },
    });
    expect(capacityWarning(small, runBudgets(small, ofMock(small)))).toBeNull();
    expect(capacityWarning(scenario(), runBudgets(scenario(), SERVER))).toBeNull();
  });
});
