import { describe, expect, it } from 'vitest';
import { createResult } from './create-result.js';
import { summarise } from './summarise.js';
import { virtualRecorder } from './test-helpers.js';

describe('summarise', () => {
  it('reduces a result to ops/s, goodput, op_duration percentiles, 429s, errors and retry amplification', () => {
    const { recorder, at } = virtualRecorder();
    for (const op of ['send', 'create']) {
      const ops = recorder.counter('ops', { op });
      const failed = recorder.rate('op_failed', { op });
      const duration = recorder.trend('op_duration', { op });
      for (let i = 1; i <= 50; i++) {
        ops.add();
        failed.add(i <= 5);
        duration.record(op === 'send' ? i : 50 + i); // 1 … 100 ms over both ops
      }
    }
    recorder.counter('http_reqs', { status: '2xx' }).add(100);
    recorder.counter('http_reqs', { status: '429' }).add(25);
    recorder.counter('rate_limited', {}).add(25);
    at(10_000);
    recorder.stop();
    const s = summarise(createResult({ runId: 'r', startedAt: '2026-01-01T00:00:00Z', recorder }));
    expect(s).toMatchObject({
      durationSec: 10,
      ops: 100,
      opsPerSec: 10,
      goodput: 9,
      errors: 10,
      errorRatio: 0.1,
      attempts: 125,
      rateLimited: 25,
      rateLimitedRatio: 0.2,
      retryAmplification: 1.25,
      droppedIterations: 0,
      thresholds: { passed: 0, failed: 0 },
      warnings: [],
      passed: true,
    });
    // HdrHistogram percentiles: the top of the value's 0.1 % bucket.
    const d = s.opDurationMs!;
    expect(d.max).toBe(100);
    for (const [got, want] of [
      [d.p50, 50],
      [d.p95, 95],
      [d.p99, 99],
    ] as const) {
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(want * 1.001);
    }
  });

  it('gives nulls rather than NaN for an empty run', () => {
    const { recorder } = virtualRecorder();
    recorder.stop();
    const s = summarise(createResult({ runId: 'r', startedAt: '2026-01-01T00:00:00Z', recorder }));
    expect(s).toMatchObject({
      ops: 0,
      opsPerSec: 0,
      errorRatio: null,
      opDurationMs: null,
      retryAmplification: null,
    });
  });
});
