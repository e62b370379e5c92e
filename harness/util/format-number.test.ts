import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from './format-number.js';

const viaIntl = (v: number, digits: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('formatNumber', () => {
  it('groups thousands and drops trailing zeros', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1_000)).toBe('1,000');
    expect(formatNumber(20_000)).toBe('20,000');
    expect(formatNumber(1_234_567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(2.5, 2)).toBe('2.5');
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(formatNumber(9.96, 1)).toBe('10');
    expect(formatNumber(999_999.5)).toBe('1,000,000');
    expect(formatNumber(-1_500.25, 1)).toBe('-1,500.3');
    expect(formatNumber(-0.04, 1)).toBe('-0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it("writes what toLocaleString('en-US') writes, for any finite number and up to 8 decimals", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e15, max: 1e15, noNaN: true }),
          fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
          fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 8),
          fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1_000),
          fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
          fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
        ),
        fc.integer({ min: 0, max: 8 }),
        (value, digits) => formatNumber(value, digits) === viaIntl(value, digits),
      ),
      { numRuns: 2_000, seed: 11 },
    );
  });
});
