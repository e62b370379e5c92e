/**
 * The one HdrHistogram configuration every trend uses, so that histograms from any recorder,
 * process or machine add up exactly: values in integer microseconds, from 1 µs to one hour,
 * three significant digits (0.1 % relative precision), 32-bit counts, no auto-resize.
 */
import { build, type Histogram } from 'hdr-histogram-js';

/** Lowest value the histograms tell apart from 0, µs. */
export const HDR_LOWEST_US = 1;
/** Highest trackable value, µs (one hour). Larger values are clamped to it. */
export const HDR_HIGHEST_US = 3_600_000_000;
/** Significant decimal digits kept (3: every value within 0.1 %). */
export const HDR_SIGNIFICANT_DIGITS = 3;
/** Microseconds per millisecond: trends are recorded in µs and reported in ms. */
export const US_PER_MS = 1_000;

/**
 * A fresh, empty histogram with the harness bounds (about 94 KB of 32-bit counts).
 *
 * @example
 * const h = createHdrHistogram();
 * h.recordValue(msToMicros(12.5)); // 12 500 µs
 */
export function createHdrHistogram(): Histogram {
  return build({
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
