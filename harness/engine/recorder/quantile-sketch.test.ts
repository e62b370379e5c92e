import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch.js';

/** The ⌈q·n⌉-th smallest value: the rank the sketch targets. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('QuantileSketch', () => {
  it('is exact below 32 µs and NaN when empty', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantileUs(0.5)).toBeNaN();
    for (const v of [0, 3, 7, 31]) sketch.record(v);
    expect([0.25, 0.5, 0.75, 1].map((q) => sketch.quantileUs(q))).toEqual([0, 3, 7, 31]);
  });

  it('reports any quantile within 3.2 % of the sample at that rank', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3_600_000_000 }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sketch = new QuantileSketch();
          for (const v of values) sketch.record(v);
          const exact = exactQuantile(values, q);
          expect(Math.abs(sketch.quantileUs(q) - exact)).toBeLessThanOrEqual(exact * 0.032);
        },
      ),
    );
  });

  it('forgets everything on reset', () => {
    const sketch = new QuantileSketch();
    sketch.record(1_000_000);
    sketch.reset();
    sketch.record(10);
    expect(sketch.count).toBe(1);
    expect(sketch.quantileUs(0.99)).toBe(10);
  });
});
