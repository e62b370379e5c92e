import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeResultMetrics, encodeMetricData, snapshotToResultMetrics } from './codec.js';
import { createResult } from './create-result.js';
import { virtualRecorder } from './test-helpers.js';

describe('snapshotToResultMetrics', () => {
  it('writes kind, unit and per tag set the stats in ms, with the histogram encoded in µs', () => {
    const { recorder, at } = virtualRecorder();
    const send = recorder.trend('op_duration', { op: 'send' });
    for (let ms = 1; ms <= 1_000; ms++) send.record(ms);
    recorder.counter('http_reqs', { status: '2xx' }).add(30);
    recorder.rate('http_req_failed', {}).add(true);
    recorder.rate('http_req_failed', {}).add(false);
    recorder.gauge('vus', {}).set(5);
    recorder.trend('queue_time', {}); // never recorded: left out
    recorder.gauge('vus_max', {}); // never set: left out
    at(10_000);
    recorder.stop();
    const metrics = snapshotToResultMetrics(recorder);
    expect(Object.keys(metrics)).toEqual(['http_req_failed', 'http_reqs', 'op_duration', 'vus']);
    const trend = metrics.op_duration!;
    if (trend.kind !== 'trend') throw new Error('op_duration is not a trend');
    expect(trend.unit).toBe('ms');
    const entry = trend.values[0]!;
    expect(entry.tags).toEqual({ op: 'send' });
    expect(entry.stats).toMatchObject({ count: 1_000, min: 1, max: 1_000, avg: 500.5, sum: 500_500 });
    // HDR at 3 digits: within 0.1 % of the exact rank value.
    expect(entry.stats.med).toBeCloseTo(500, -0.5);
    expect(Math.abs(entry.stats['p(99)'] - 990) / 990).toBeLessThan(0.001);
    expect(entry.stats['p(99.9)']).toBeLessThanOrEqual(1_000);
    expect(decodeFromCompressedBase64(entry.histogram).totalCount).toBe(1_000);
    expect(metrics.http_reqs).toEqual({
      kind: 'counter',
      unit: 'requests',
      values: [{ tags: { status: '2xx' }, stats: { count: 30, rate: 3 } }],
    });
    expect(metrics.http_req_failed?.values[0]?.stats).toEqual({ rate: 0.5, passes: 1, fails: 1 });
    expect(metrics.vus?.values[0]?.stats).toEqual({ value: 5, min: 5, max: 5 });
  });

  it('sorts tag sets by their canonical key, so output is stable', () => {
    const { recorder } = virtualRecorder();
    recorder.counter('ops', { op: 'b' }).add();
    recorder.counter('ops', { op: 'a' }).add();
    recorder.counter('ops', {}).add();
    expect(snapshotToResultMetrics(recorder).ops?.values.map((v) => v.tags)).toEqual([
      {},
      { op: 'a' },
      { op: 'b' },
    ]);
  });
});

describe('decodeResultMetrics', () => {
  it('round-trips: encode(decode(metrics)) gives the same figures and histograms', () => {
    const { recorder, at } = virtualRecorder();
    const h = recorder.trend('http_req_duration', { op: 'send' });
    for (const v of [0, 0.001, 1.5, 12.345, 999, 3_600_000]) h.record(v);
    recorder.counter('ops', {}).add(6);
    at(2_000);
    recorder.stop();
    const metrics = snapshotToResultMetrics(recorder);
    const again = encodeMetricData(decodeResultMetrics(metrics), 2);
    expect(again).toEqual(metrics);
  });

  it('decodes what it just encoded as the text says: the recorder counting on, the caller changing the counts, or a replaced text change nothing', () => {
    const { recorder } = virtualRecorder();
    const h = recorder.trend('op_duration', {});
    for (let ms = 1; ms <= 100; ms++) h.record(ms);
    const metrics = snapshotToResultMetrics(recorder);
    const fromText = decodeResultMetrics(JSON.parse(JSON.stringify(metrics)));
    h.record(5_000); // the live cell counts on after the encoding
    const first = decodeResultMetrics(metrics);
    expect(first).toEqual(fromText);
    (first[0] as { counts: Uint32Array }).counts.fill(7); // the caller's copy to change
    expect(decodeResultMetrics(metrics)).toEqual(fromText);
    // Another histogram's text put in the entry: decoded from that text.
    const other = virtualRecorder().recorder;
    other.trend('op_duration', {}).record(42);
    const replaced = metrics.op_duration!.values[0]! as { histogram: string; stats: { count: number } };
    replaced.histogram = (
      snapshotToResultMetrics(other).op_duration!.values[0]! as { histogram: string }
    ).histogram;
    expect(() => decodeResultMetrics(metrics)).toThrow(/holds 1 values but its stats say 100/);
  });

  it('refuses an entry whose histogram and count disagree', () => {
    const { recorder } = virtualRecorder();
    recorder.trend('op_duration', {}).record(1);
    const metrics = snapshotToResultMetrics(recorder);
    (metrics.op_duration!.values[0]!.stats as { count: number }).count = 2;
    expect(() => decodeResultMetrics(metrics)).toThrow(/holds 1 values but its stats say 2/);
  });

  it('names the metric when a histogram does not decode', () => {
    const { recorder } = virtualRecorder();
    recorder.trend('op_duration', {}).record(1);
    const metrics = snapshotToResultMetrics(recorder);
    const entry = metrics.op_duration!.values[0]! as { histogram: string };
    entry.histogram = 'not-a-histogram';
    expect(() => decodeResultMetrics(metrics)).toThrow(/Failed to decode the histogram of 'op_duration'/);
  });
});

describe('createResult', () => {
  it('assembles the versioned document; passed is false when a threshold failed', () => {
    const { recorder, at } = virtualRecorder();
    at(1_500);
    recorder.stop();
    const failed = {
      metric: 'ops',
      expression: 'count>0',
      ok: false,
      status: 'fail' as const,
      actual: 0,
      abortOnFail: false,
      abort: false,
    };
    const result = createResult({
      runId: 'run-1',
      startedAt: '2026-01-01T00:00:00Z',
      recorder,
      thresholds: [failed],
    });
    expect(result).toMatchObject({
      schema: 'nexus-harness/result',
      version: 1,
      runId: 'run-1',
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:01.500Z',
      durationMs: 1_500,
      interrupted: false,
      scenario: null,
      passed: false,
    });
    expect(result.series.tSec).toEqual([0, 1]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
