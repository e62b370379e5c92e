import { describe, expect, it } from 'vitest';
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
