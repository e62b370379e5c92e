import { describe, expect, it } from 'vitest';
import type { ExecutorSummary } from '../executors/base.js';
import type { SampleSink } from '../types.js';
import { completionOf, recordCompletion, withDefaultThresholds } from './completion.js';

const summary = (over: Partial<ExecutorSummary>): ExecutorSummary => ({
  executor: 'shared-iterations',
  iterations: 0,
  failed: 0,
  dropped: 0,
  interrupted: 0,
  demanded: null,
  vusMax: 1,
  startedAtMs: 0,
  endedAtMs: 1,
  ...over,
});

describe('completionOf', () => {
  it('totals only the executors that demand a count (the others apart); what is unaccounted for never started', () => {
    const report = completionOf({
      storm: summary({ demanded: 70, iterations: 60, interrupted: 2 }),
      open: summary({ executor: 'constant-arrival-rate', demanded: 100, iterations: 90, dropped: 10 }),
      vus: summary({ executor: 'constant-vus', iterations: 500, interrupted: 2 }),
    });
    expect(report).toMatchObject({
      demanded: 170,
      completed: 150,
      dropped: 10,
      interrupted: 2,
      notStarted: 8,
      shortfall: 20,
      untracked: { completed: 500, interrupted: 2 },
    });
    // The counting executors' figures add up to what they demanded.
    expect(report.completed + report.dropped + report.interrupted + report.notStarted).toBe(report.demanded);
    expect(report.byExecutor.storm).toEqual({
      demanded: 70,
      completed: 60,
      dropped: 0,
      interrupted: 2,
      notStarted: 8,
    });
    expect(report.byExecutor.vus?.demanded).toBeNull();
  });

  it('records the completion rate per demanding executor: passes done, fails the shortfall', () => {
    const rates = new Map<string, boolean[]>();
    const unused = () => {
      throw new Error('only rates are recorded');
    };
    const sink: SampleSink = {
      rate: (name, tags) => {
        const values: boolean[] = [];
        rates.set(`${name}{${tags.executor}}`, values);
        return { add: (v) => values.push(v) };
      },
      counter: unused,
      trend: unused,
      gauge: unused,
    };
    recordCompletion(
      sink,
      completionOf({
        storm: summary({ demanded: 5, iterations: 3 }),
        vus: summary({ executor: 'constant-vus', iterations: 9 }),
      }),
    );
    expect(rates.get('completion{storm}')).toEqual([true, true, true, false, false]);
    expect(rates.has('completion{vus}')).toBe(false);
  });
});

describe('withDefaultThresholds', () => {
  it('adds completion rate==1 (when a count is demanded) and op_failed rate<1, unless already named', () => {
    expect(withDefaultThresholds({ op_failed: ['rate<0.01'] }, true)).toEqual({
      op_failed: ['rate<0.01'],
      completion: ['rate==1'],
    });
    expect(withDefaultThresholds({ 'completion{executor:main}': ['rate>0.9'] }, true)).toEqual({
      'completion{executor:main}': ['rate>0.9'],
      op_failed: ['rate<1'],
    });
    expect(withDefaultThresholds({}, false)).toEqual({ op_failed: ['rate<1'] });
  });
});
