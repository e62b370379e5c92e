import { describe, expect, it } from 'vitest';
import { createRecorder } from './recorder.js';
import { TimeSeries } from './series.js';

describe('TimeSeries', () => {
  it('merges pairs when full: counts summed, p99 the larger, p50 weighted by samples', () => {
    const series = new TimeSeries({ startMs: 0, maxPoints: 4 });
    // second 0: 3 samples at 10 ms; second 1: 1 sample at 100 ms; seconds 2, 3: nothing.
    for (let i = 0; i < 3; i++) series.recordDurationUs(10_000);
    series.addOps(3);
    series.advance(1_000);
    series.recordDurationUs(100_000);
    series.addOps(1);
    series.addRateLimited(2);
    series.advance(4_000); // interval 4 does not fit in 4 points: now 2-s intervals
    series.addError();
    const s = series.snapshot();
    expect(s.intervalSec).toBe(2);
    expect(s.tSec).toEqual([0, 2, 4]);
    expect(s.ops).toEqual([4, 0, 0]);
    expect(s.rateLimited).toEqual([2, 0, 0]);
    expect(s.errors).toEqual([0, 0, 1]);
    expect(s.p99Ms[0]).toBeCloseTo(100, -1);
    // (10·3 + 100·1) / 4 = 32.5 ms, from bucket middles.
    expect(s.p50Ms[0]! / 32.5).toBeGreaterThan(0.96);
    expect(s.p50Ms[0]! / 32.5).toBeLessThan(1.04);
    expect(s.p50Ms.slice(1)).toEqual([null, null]);
  });

  it('keeps p90 and retries per interval, merged like p99 and the counts', () => {
    const series = new TimeSeries({ startMs: 0, maxPoints: 2 });
    // second 0: 90 samples at 1 ms and 10 at 50 ms; second 1: 10 at 20 ms.
    for (let i = 0; i < 90; i++) series.recordDurationUs(1_000);
    for (let i = 0; i < 10; i++) series.recordDurationUs(50_000);
    series.addRetries(3);
    series.advance(1_000);
    for (let i = 0; i < 10; i++) series.recordDurationUs(20_000);
    series.addRetries(1);
    const before = series.snapshot();
    expect(before.retries).toEqual([3, 1]);
    expect(before.p90Ms![0]! / 1).toBeGreaterThan(0.96);
    expect(before.p90Ms![0]!).toBeLessThan(1.04);
    expect(before.p90Ms![1]! / 20).toBeGreaterThan(0.96);
    series.advance(2_000); // 2 points are full: one 2-s interval
    const after = series.snapshot();
    expect(after.retries).toEqual([4, 0]);
    expect(after.p90Ms![0]! / 20).toBeGreaterThan(0.96); // the larger of 1 and 20 ms
    expect(after.p90Ms![0]! / 20).toBeLessThan(1.04);
    expect(after.p90Ms![1]).toBeNull();
  });

  it("is fed by the recorder's retries counter, whatever its tags", () => {
    let now = 0;
    const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
    recorder.counter('retries', { op: 'send_message' }).add(2);
    now = 1_000;
    recorder.tick();
    recorder.counter('retries', { op: 'get_session' }).add();
    expect(recorder.series().retries).toEqual([2, 1]);
  });

  it("takes only succeeded operations' op_duration into the percentiles, as the workload records them (duration, then failed)", () => {
    let now = 0;
    const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
    const duration = recorder.trend('op_duration', { op: 'get_session' });
    const failed = recorder.rate('op_failed', { op: 'get_session' });
    for (let i = 0; i < 90; i++) {
      duration.record(2);
      failed.add(false);
    }
    // Ten timeouts of 5 s: without the rule they would be the p99 of this second.
    for (let i = 0; i < 10; i++) {
      duration.record(5_000);
      failed.add(true);
    }
    now = 1_000;
    recorder.tick();
    // A verdict with no duration before it takes nothing out.
    failed.add(true);
    duration.record(3);
    failed.add(false);
    const series = recorder.series();
    expect(series.errors).toEqual([10, 1]);
    expect(series.p99Ms[0]).toBeLessThan(2.2);
    expect(series.p99Ms[0]).toBeGreaterThan(1.8);
    expect(series.p50Ms[1]).toBeGreaterThan(2.8);
    // The trend itself keeps every duration: only the series' percentiles are of successes.
    const cell = recorder.metrics().find((d) => d.name === 'op_duration');
    expect(cell?.kind === 'trend' ? cell.count : null).toBe(101);
  });

  it('jumps over a long gap with several merges and never moves backwards', () => {
    const series = new TimeSeries({ startMs: 1_000, maxPoints: 4 });
    series.addOps(1);
    series.advance(1_000 + 20_000); // second 20 → interval 8 s, index 2
    series.advance(1_000 + 5_000); // earlier: ignored
    series.addOps(5);
    const s = series.snapshot();
    expect(s.intervalSec).toBe(8);
    expect(s.ops).toEqual([1, 0, 5]);
  });

  it('ignores a clock before its start', () => {
    const series = new TimeSeries({ startMs: 1_000 });
    series.advance(0);
    series.addOps(1);
    expect(series.snapshot().ops).toEqual([1]);
  });

  it('rejects an odd or tiny maxPoints', () => {
    expect(() => new TimeSeries({ startMs: 0, maxPoints: 3 })).toThrow(/even integer/);
    expect(() => new TimeSeries({ startMs: 0, maxPoints: 0 })).toThrow(/even integer/);
  });
});
