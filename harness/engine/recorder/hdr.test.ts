import fc from 'fast-check';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { TrendCell } from './cells.js';
import {
  countsFromHistogram,
  createHdrHistogram,
  HDR_COUNTS_LENGTH,
  HDR_HIGHEST_US,
  hdrIndexOf,
  hdrValueOfIndex,
  msToMicros,
  percentileOfCounts,
} from './hdr.js';

/** hdr-histogram-js's own index and value functions (present at runtime, absent from its types). */
const internals = createHdrHistogram() as unknown as {
  countsArrayIndex(value: number): number;
  valueFromIndex(index: number): number;
  countsArrayLength: number;
};

const micros = fc.oneof(
  fc.integer({ min: 0, max: HDR_HIGHEST_US }),
  fc.integer({ min: 0, max: 5_000 }),
  fc.integer({ min: 0, max: 31 }).map((k) => Math.min(HDR_HIGHEST_US, 2 ** k)),
  fc.integer({ min: 1, max: 31 }).map((k) => 2 ** k - 1),
);

describe('HdrHistogram layout', () => {
  it('has the counts length hdr-histogram-js computes for the harness bounds', () => {
    expect(internals.countsArrayLength).toBe(HDR_COUNTS_LENGTH);
  });

  it('hdrIndexOf lands every value where hdr-histogram-js does', () => {
    fc.assert(
      fc.property(micros, (us) => {
        expect(hdrIndexOf(us)).toBe(internals.countsArrayIndex(us));
      }),
      { numRuns: 5_000 },
    );
  });

  it('hdrValueOfIndex is hdr-histogram-js valueFromIndex for every index', () => {
    for (let i = 0; i < HDR_COUNTS_LENGTH; i++) {
      if (hdrValueOfIndex(i) !== internals.valueFromIndex(i))
        expect(hdrValueOfIndex(i)).toBe(internals.valueFromIndex(i));
    }
  });

  it('a trend cell encodes exactly as a histogram fed with recordValue', () => {
    fc.assert(
      fc.property(fc.array(micros, { maxLength: 300 }), (values) => {
        const cell = new TrendCell('op_duration', {}, '[]');
        const direct = createHdrHistogram();
        for (const us of values) {
          cell.record(us / 1_000);
          direct.recordValue(us);
        }
        expect(encodeIntoCompressedBase64(cell.histogram)).toBe(encodeIntoCompressedBase64(direct));
        expect(cell.histogram.getValueAtPercentile(99)).toBe(direct.getValueAtPercentile(99));
        expect(cell.histogram.totalCount).toBe(values.length);
      }),
      { numRuns: 200 },
    );
  });

  it('percentileOfCounts is hdr-histogram-js getValueAtPercentile, for any data and percentile', () => {
    const percentiles = fc.oneof(
      fc.constantFrom(0, 50, 90, 95, 99, 99.9, 99.99, 100),
      fc.double({ min: 0, max: 100, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(micros, { maxLength: 300 }),
        fc.array(percentiles, { minLength: 1, maxLength: 8 }),
        (values, ps) => {
          const cell = new TrendCell('op_duration', {}, '[]');
          const direct = createHdrHistogram();
          for (const us of values) {
            cell.record(us / 1_000);
            direct.recordValue(us);
          }
          for (const p of ps)
            expect(percentileOfCounts(cell.counts, cell.count, p)).toBe(direct.getValueAtPercentile(p));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('countsFromHistogram reads a histogram back into the harness layout', () => {
    const cell = new TrendCell('op_duration', {}, '[]');
    for (const ms of [0, 0.5, 2, 2.049, 1_000, 3_600_000]) cell.record(ms);
    expect(countsFromHistogram(cell.histogram)).toEqual(cell.counts);
  });

  it('rebuilds the histogram only after new values', () => {
    const cell = new TrendCell('op_duration', {}, '[]');
    cell.record(1);
    const first = cell.histogram;
    expect(cell.histogram).toBe(first);
    cell.record(2);
    expect(cell.histogram).not.toBe(first);
    expect(cell.histogram.totalCount).toBe(2);
  });
});

describe('msToMicros', () => {
  it('rounds to the µs and clamps to [0, 1 h]', () => {
    expect([1.2344, 1.2346, -3, 4_000_000].map(msToMicros)).toEqual([1_234, 1_235, 0, HDR_HIGHEST_US]);
  });
});
