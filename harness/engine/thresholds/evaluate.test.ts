import { describe, expect, it } from 'vitest';
import { snapshotToResultMetrics } from '../result/codec.js';
import { virtualRecorder } from '../result/test-helpers.js';
import { evaluateThresholds, thresholdsPassed } from './evaluate.js';
import { parseThresholds } from './parse.js';

/** A recorder holding known data: op_duration 1…100 ms (send) and 101…200 ms (create). */
function known() {
  const { recorder, at } = virtualRecorder();
  const send = recorder.trend('op_duration', { op: 'send', status: '2xx' });
  const create = recorder.trend('op_duration', { op: 'create', status: '2xx' });
  for (let i = 1; i <= 100; i++) {
    send.record(i);
    create.record(100 + i);
  }
  recorder.counter('http_reqs', { op: 'send' }).add(300);
  recorder.counter('http_reqs', { op: 'create' }).add(100);
  const failed = recorder.rate('op_failed', {});
  for (let i = 0; i < 100; i++) failed.add(i < 3);
  recorder.gauge('vus', {}).set(20);
  at(20_000);
  return recorder;
}

function actuals(thresholds: Record<string, string[]>, elapsedSec = 20) {
  const recorder = known();
  return evaluateThresholds(parseThresholds(thresholds), recorder.metrics(), elapsedSec).map((o) => o.actual);
}

describe('evaluateThresholds', () => {
  it('computes trend aggregations from the histogram (percentiles within 0.1 %) and exact figures', () => {
    const [p99, p50, med, avg, min, max, count] = actuals({
      'op_duration{op:send}': ['p(99)<1', 'p(50)<1', 'med<1', 'avg<1', 'min<1', 'max<1', 'count<1'],
    }) as number[];
    expect(p99).toBeGreaterThanOrEqual(99);
    expect(p99).toBeLessThanOrEqual(99 * 1.001);
    expect(p50).toBe(med);
    expect(avg).toBeCloseTo(50.5, 9);
    expect([min, max, count]).toEqual([1, 100, 100]);
  });

  it('merges the tag sets a filter selects (and all of them without a filter)', () => {
    const [all, twoXx, create, none] = actuals({
      op_duration: ['max<1'],
      'op_duration{status:2xx}': ['p(50)<1'],
      'op_duration{op:create,status:2xx}': ['min<1'],
      'op_duration{op:poll}': ['count<1'],
    });
    expect(all).toBe(200);
    expect(twoXx).toBeGreaterThanOrEqual(100);
    expect(twoXx).toBeLessThanOrEqual(100.1);
    expect(create).toBe(101);
    expect(none).toBe(0);
  });

  it('gives counters count and rate per second, rates their ratio, gauges their value', () => {
    expect(
      actuals({
        http_reqs: ['count<1', 'rate<1'],
        'http_reqs{op:send}': ['rate<1'],
        op_failed: ['rate<1'],
        vus: ['value<1'],
      }),
    ).toEqual([400, 20, 15, 0.03, 20]);
  });

  it('mid-run, no data is not yet a failure; a missing counter counts 0', () => {
    const { recorder } = virtualRecorder();
    const outcomes = evaluateThresholds(
      parseThresholds({
        op_duration: ['p(99)<1'],
        checks: ['rate>0.99'],
        vus: ['value>1'],
        duplicates: ['count==0'],
        ops: ['count>0'],
      }),
      recorder.metrics(),
      1,
    );
    expect(outcomes.map((o) => [o.actual, o.ok, o.status, o.abort])).toEqual([
      [null, true, 'no-data', false],
      [null, true, 'no-data', false],
      [null, true, 'no-data', false],
      [0, true, 'pass', false],
      [0, false, 'fail', false],
    ]);
  });

  it('at the end, no data fails (a run that measured nothing passed nothing) unless allowNoData', () => {
    const { recorder } = virtualRecorder();
    const outcomes = evaluateThresholds(
      parseThresholds({
        op_failed: ['rate==0', { threshold: 'rate<0.01', allowNoData: true }],
        'op_duration{op:send_message}': ['p(99)<500'],
      }),
      recorder.metrics(),
      10,
      { final: true },
    );
    expect(outcomes.map((o) => [o.status, o.ok])).toEqual([
      ['no-data', false],
      ['no-data', true],
      ['no-data', false],
    ]);
    expect(outcomes[0]?.note).toMatch(/nothing was measured/);
    expect(thresholdsPassed(outcomes)).toBe(false);
  });

  it('marks thresholds on metrics the run cannot produce n/a: neither failed nor passed', () => {
    const { recorder } = virtualRecorder();
    const outcomes = evaluateThresholds(
      parseThresholds({ duplicates: ['count==0'], lost: ['count>5'], ops: ['count==0'] }),
      recorder.metrics(),
      10,
      {
        final: true,
        notApplicable: new Map([
          ['duplicates', 'no ledger'],
          ['lost', 'no ledger'],
        ]),
      },
    );
    expect(outcomes.map((o) => [o.status, o.ok, o.note])).toEqual([
      ['n/a', true, 'no ledger'],
      ['n/a', true, 'no ledger'],
      ['pass', true, undefined],
    ]);
  });

  it('judges each comparison and says which failures abort, once delayAbortEval has passed', () => {
    const recorder = known();
    const parsed = parseThresholds({
      'op_duration{op:send}': [
        'max<=100',
        { threshold: 'max<100', abortOnFail: true },
        { threshold: 'p(99) < 50', abortOnFail: true, delayAbortEval: '30s' },
      ],
      op_failed: ['rate<0.01'],
    });
    const early = evaluateThresholds(parsed, recorder.metrics(), 20);
    expect(early).toEqual([
      {
        metric: 'op_duration{op:send}',
        expression: 'max<=100',
        ok: true,
        status: 'pass',
        actual: 100,
        abortOnFail: false,
        abort: false,
      },
      {
        metric: 'op_duration{op:send}',
        expression: 'max<100',
        ok: false,
        status: 'fail',
        actual: 100,
        abortOnFail: true,
        abort: true,
      },
      expect.objectContaining({ expression: 'p(99) < 50', ok: false, abortOnFail: true, abort: false }),
      {
        metric: 'op_failed',
        expression: 'rate<0.01',
        ok: false,
        status: 'fail',
        actual: 0.03,
        abortOnFail: false,
        abort: false,
      },
    ]);
    expect(evaluateThresholds(parsed, recorder.metrics(), 30)[2]?.abort).toBe(true);
    expect(thresholdsPassed(early)).toBe(false);
  });

  it('gives the same verdicts over the encoded result as over live data', () => {
    const recorder = known();
    recorder.stop();
    const parsed = parseThresholds({
      op_duration: ['p(99.9)<1', 'avg<1', 'min<1', 'max<1', 'med<1', 'count<1'],
      'op_duration{op:create}': ['p(95)<150'],
      'http_reqs{op:create}': ['count<1', 'rate<1'],
      op_failed: ['rate<1'],
      vus: ['value<1'],
    });
    const live = evaluateThresholds(parsed, recorder.metrics(), 20);
    const fromResult = evaluateThresholds(parsed, snapshotToResultMetrics(recorder), 20);
    expect(fromResult).toEqual(live);
  });
});
