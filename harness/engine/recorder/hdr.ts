/**
 * The one HdrHistogram configuration every trend uses, so that histograms from any recorder,
 * process or machine add up exactly: values in integer microseconds, from 1 µs to one hour,
 * three significant digits (0.1 % relative precision), 32-bit counts, no auto-resize.
 */
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';

type HdrHistogramJs = typeof import('hdr-histogram-js');
let hdrHistogramJs: HdrHistogramJs | undefined;
/**
 * hdr-histogram-js, loaded on first use: a run records into its own counts and encodes them
 * itself (hdr-codec.ts), so a fresh process does not pay for the library (about 55 ms of CPU)
 * unless something asks for a histogram object.
 */
function hdrLibrary(): HdrHistogramJs {
  hdrHistogramJs ??= createRequire(import.meta.url)('hdr-histogram-js') as HdrHistogramJs;
  return hdrHistogramJs;
}

/**
 * Lowest value the histograms tell apart from 0, µs.
 *
 * @example
 * createHdrHistogram(); // 1 µs … 1 h, 3 significant digits
 */
export const HDR_LOWEST_US = 1;
/**
 * Highest trackable value, µs (one hour). Larger values are clamped to it.
 *
 * @example
 * createHdrHistogram(); // 1 µs … 1 h, 3 significant digits
 */
export const HDR_HIGHEST_US = 3_600_000_000;
/**
 * Significant decimal digits kept (3: every value within 0.1 %).
 *
 * @example
 * createHdrHistogram(); // 1 µs … 1 h, 3 significant digits
 */
export const HDR_SIGNIFICANT_DIGITS = 3;
/**
 * Microseconds per millisecond: trends are recorded in µs and reported in ms.
 *
 * @example
 * const ms = us / US_PER_MS;
 */
export const US_PER_MS = 1_000;

/**
 * The counts layout HdrHistogram uses for these bounds (unit magnitude 0, 2 048 sub-buckets,
 * 22 buckets): log2 of half the sub-bucket count, and the length of the counts array.
 * `hdrIndexOf` computes an index with integer operations only; a test checks that it lands
 * every value where hdr-histogram-js's own `recordValue` does.
 */
const SUB_BUCKET_HALF_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_MAGNITUDE;
/**
 * Length of the counts array for the harness bounds.
 *
 * @example
 * const counts = new Uint32Array(HDR_COUNTS_LENGTH);
 */
export const HDR_COUNTS_LENGTH = 23 * SUB_BUCKET_HALF_COUNT;

/**
 * The counts-array index of an integer µs value in [0, {@link HDR_HIGHEST_US}], as
 * HdrHistogram computes it (`countsArrayIndex`), without `Math.log2` or `Math.pow`.
 *
 * @example
 * hdrIndexOf(1_500); // 1500: values below 2 048 µs have an index of their own
 */
export function hdrIndexOf(us: number): number {
  // Bucket: how many powers of two the value is above the 2 048 that fit in bucket 0.
  const bucket = Math.max(0, 31 - Math.clz32(us) - SUB_BUCKET_HALF_MAGNITUDE);
  return (bucket << SUB_BUCKET_HALF_MAGNITUDE) + (us >>> bucket);
}

/**
 * The lowest value of the bucket at counts-array `index`, µs (the inverse of {@link hdrIndexOf}).
 *
 * @example
 * hdrValueOfIndex(hdrIndexOf(1_000_000)); // 999 936 — the bucket's lowest value (resolution 0.1 %)
 */
export function hdrValueOfIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1;
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

/**
 * An HdrHistogram (harness bounds) holding `counts`, a counts array in HdrHistogram's layout.
 *
 * @example
 * const h = histogramFromCounts(cell.counts);
 */
export function histogramFromCounts(counts: Uint32Array): Histogram {
  const histogram = createHdrHistogram();
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count !== 0) histogram.recordValueWithCount(hdrValueOfIndex(i), count);
  }
  return histogram;
}

/**
 * A fresh, empty histogram with the harness bounds (about 94 KB of 32-bit counts).
 *
 * @example
 * const h = createHdrHistogram();
 * h.recordValue(msToMicros(12.5)); // 12 500 µs
 */
export function createHdrHistogram(): Histogram {
  return hdrLibrary().build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HDR_LOWEST_US,
    highestTrackableValue: HDR_HIGHEST_US,
    numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS,
  });
}

/**
 * Converts a duration in ms to the integer µs the histograms hold: rounded to the nearest
 * µs, negatives to 0, values above one hour to {@link HDR_HIGHEST_US}. NaN gives NaN (callers
 * skip it).
 *
 * @example
 * msToMicros(1.2345); // 1235
 * msToMicros(-3); // 0
 */
export function msToMicros(ms: number): number {
  const us = Math.round(ms * US_PER_MS);
  if (us > HDR_HIGHEST_US) return HDR_HIGHEST_US;
  return us < 0 ? 0 : us;
}

/** The size of the bucket holding `us` (all values in it are equivalent), µs. */
function bucketSizeUs(us: number): number {
  return 2 ** Math.max(0, 31 - Math.clz32(us) - SUB_BUCKET_HALF_MAGNITUDE);
}

/** One unit in the last place of `x` (as hdr-histogram-js computes it). */
function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(x)) - 52);
}

/**
 * The value at `percentile` (0–100) of HdrHistogram counts holding `total` values, µs —
 * exactly what hdr-histogram-js's `getValueAtPercentile` returns for the same counts (the
 * highest value equivalent to the one at that rank; the lowest for percentile 0), without
 * building a histogram. 0 when empty.
 *
 * @example
 * percentileOfCounts(cell.counts, cell.count, 99.9);
 */
export function percentileOfCounts(counts: Uint32Array, total: number, percentile: number): number {
  if (total === 0) return 0;
  const requested = Math.min(percentile, 100);
  const fpCount = (requested / 100) * total;
  const rank = Math.max(Math.ceil(fpCount - ulp(fpCount)), 1);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) {
      const lowest = hdrValueOfIndex(i);
      return percentile === 0 ? lowest : lowest + bucketSizeUs(lowest) - 1;
    }
  }
  return 0;
}

/**
 * The counts of an hdr-histogram-js histogram in the harness layout: the histogram is first
 * added into one with the harness bounds (throws if its values do not fit).
 *
 * @example
 * const counts = countsFromHistogram(decodeFromCompressedBase64(text));
 */
export function countsFromHistogram(source: Histogram): Uint32Array {
  const histogram = createHdrHistogram();
  histogram.add(source);
  const reader = histogram as unknown as { getCountAtIndex?: (index: number) => number };
  if (typeof reader.getCountAtIndex !== 'function') {
    throw new Error('hdr-histogram-js no longer has getCountAtIndex: update countsFromHistogram.');
  }
  const counts = new Uint32Array(HDR_COUNTS_LENGTH);
  for (let i = 0; i < HDR_COUNTS_LENGTH; i++) counts[i] = reader.getCountAtIndex(i);
  return counts;
}
