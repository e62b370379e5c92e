import { describe, expect, it } from 'vitest';
import type { SeriesData } from '../recorder/series.js';
import { mergeSeries } from './merge-series.js';

function series(intervalSec: number, ops: number[], p99: (number | null)[]): SeriesData {
  return {
    intervalSec,
    tSec: ops.map((_, i) => i * intervalSec),
    ops,
    errors: ops.map(() => 0),
    rateLimited: ops.map(() => 1),
    retries: ops.map(() => 2),
    p50Ms: p99.map((p) => (p === null ? null : p / 2)),
    p90Ms: p99.map((p) => (p === null ? null : p * 0.8)),
    p99Ms: p99,
  };
}

/** `s` as results written before the retries and p90 columns were kept. */
function older(s: SeriesData): SeriesData {
  const { retries: _r, p90Ms: _p, ...rest } = s;
  return rest;
}

describe('mergeSeries', () => {
  it('uses the coarsest interval and lines inputs up by their start', () => {
    const a = series(1, [1, 2, 3, 4], [10, 20, null, 40]);
    const b = series(2, [10, 20], [100, 5]);
    const merged = mergeSeries([
      { series: a, startedAtMs: 0 },
      { series: b, startedAtMs: 2_000 },
    ]);
    expect(merged.intervalSec).toBe(2);
    expect(merged.tSec).toEqual([0, 2, 4]);
    expect(merged.ops).toEqual([3, 17, 20]);
    expect(merged.rateLimited).toEqual([2, 3, 1]);
    expect(merged.retries).toEqual([4, 6, 2]);
    expect(merged.p99Ms).toEqual([20, 100, 5]);
    expect(merged.p90Ms).toEqual([16, 80, 4]);
    // Interval [2 s, 4 s): a's points 2 (no p50) and 3 (p50 20, 4 ops), b's point 0 (p50 50, 10 ops).
    expect(merged.p50Ms[1]).toBeCloseTo((20 * 4 + 50 * 10) / 14, 9);
  });

  it('leaves out the retries and p90 columns unless every input has them', () => {
    const a = series(1, [1, 2], [10, 20]);
    const merged = mergeSeries([
      { series: a, startedAtMs: 0 },
      { series: older(a), startedAtMs: 0 },
    ]);
    expect(merged.ops).toEqual([2, 4]);
    expect(merged).not.toHaveProperty('retries');
    expect(merged).not.toHaveProperty('p90Ms');
    expect(mergeSeries([{ series: a, startedAtMs: 0 }]).retries).toEqual([2, 2]);
  });

  it('returns an empty series for empty inputs', () => {
    expect(mergeSeries([{ series: series(1, [], []), startedAtMs: 0 }]).tSec).toEqual([]);
  });
});
