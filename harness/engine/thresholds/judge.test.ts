import { describe, expect, it } from 'vitest';
import { createRecorder } from '../recorder/recorder.js';
import { createResult } from '../result/create-result.js';
import { virtualRecorder } from '../result/test-helpers.js';
import type { RunResult } from '../result/types.js';
import type { MetricName } from '../types.js';
import { judge } from './judge.js';

function result(options: {
  audit?: unknown;
  thresholds?: Record<string, string[]>;
  notices?: string[];
}): RunResult {
  const { recorder, at } = virtualRecorder();
  recorder.counter('ops', { op: 'send' }).add(2);
  recorder.rate('op_failed', { op: 'send' }).add(false);
  recorder.rate('op_failed', { op: 'send' }).add(false);
  recorder.counter('duplicates', {}).add(0);
  at(2_000);
  recorder.stop();
  return createResult({
    runId: 'r',
    startedAt: '2026-01-01T00:00:00.000Z',
    recorder,
    scenario: { name: 's', thresholds: options.thresholds ?? {} },
    audit: options.audit ?? null,
    notices: options.notices,
  });
}

describe('judge', () => {
  it('judges a result with the thresholds it was run with, or with the ones given', () => {
    const r = result({ thresholds: { op_failed: ['rate==0'], ops: ['count>5'] }, audit: { complete: true } });
    expect(judge(r).thresholds.map((t) => [t.metric, t.status])).toEqual([
      ['op_failed', 'pass'],
      ['ops', 'fail'],
    ]);
    expect(judge(r).verdict).toBe('failed');
    expect(judge(r, { ops: ['count==2'] })).toMatchObject({ passed: true, verdict: 'passed' });
  });

  it('fails no data at the end, and makes the audit’s metrics n/a when the result has no audit', () => {
    const r = result({
      thresholds: { reply_latency: ['p(95)<5000'], duplicates: ['count==0'] },
      notices: ["no audit: the mock's ledger could not be read (timeout)"],
    });
    const { thresholds, verdict } = judge(r);
    expect(thresholds.map((t) => [t.metric, t.status, t.ok])).toEqual([
      ['reply_latency', 'no-data', false],
      ['duplicates', 'n/a', true],
    ]);
    expect(thresholds[1]?.note).toBe("the mock's ledger could not be read (timeout)");
    expect(verdict).toBe('failed');
  });
});

describe('judge with custom metrics', () => {
  function scripted(): RunResult {
    let now = 0;
    const recorder = createRecorder({
      clock: { now: () => now },
      tickMs: false,
      health: false,
      metrics: { login_time: 'trend', logins: 'counter' },
    });
    for (const ms of [50, 80, 120])
      recorder.trend('login_time' as MetricName, { executor: 'main' }).record(ms);
    recorder.rate('checks', { check: 'is 200', executor: 'main' }).add(true);
    recorder.rate('checks', { check: 'is 200', executor: 'main' }).add(false);
    now = 1_000;
    recorder.stop();
    return createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: {
        name: 's',
        resolved: { metrics: { login_time: 'trend', logins: 'counter', never: 'rate' } },
        thresholds: {
          login_time: ['p(95)<100'],
          checks: ['rate>0.4'],
          'checks{check:is 200}': ['rate==1'],
          never: ['rate>0'],
        },
      },
      audit: { complete: true },
    });
  }

  it('judges them from the declaration stored in the result, a declared metric without data as no data', () => {
    const { thresholds } = judge(scripted());
    expect(thresholds.map((t) => [t.metric, t.status])).toEqual([
      ['login_time', 'fail'],
      ['checks', 'pass'],
      ['checks{check:is 200}', 'fail'],
      ['never', 'no-data'],
    ]);
    expect(thresholds[0]?.actual).toBeCloseTo(120, 0);
  });

  it('judges a custom metric the result holds even without its declaration (an imported or merged result)', () => {
    const r = scripted();
    r.scenario = { name: 's' };
    expect(judge(r, { login_time: ['max<200'] }).thresholds[0]).toMatchObject({ status: 'pass' });
  });
});
