/**
 * A trend's latency by percentile, as HdrHistogram plots it: x is 1/(1−p) on a log axis, so
 * 90 %, 99 %, 99.9 % and 99.99 % are equally far apart and the tail gets the room it deserves.
 */
import { type TrendFigures, trendPercentileMs } from '../../harness/engine/result/stats.js';

/** Points per halving of the distance to 100 % (HdrHistogram's `ticksPerHalfDistance`). */
export const TICKS_PER_HALF_DISTANCE = 5;

/** One point of a percentile distribution. */
export interface DistributionPoint {
  /** 1/(1−p): 1 at the minimum, 10 at p90, 100 at p99, 1,000 at p99.9. */
  x: number;
  /** The percentile, 0–100. */
  percentile: number;
  /** The value at that percentile, ms (HdrHistogram's, within 0.1 %, clamped to min and max). */
  ms: number;
}

/**
 * The percentile distribution of `trend`: points at p = 1 − 2^(−i/5) for as long as the samples
 * can tell them apart (1/(1−p) below the count), then the maximum at 1/(1−p) = count, the
 * highest percentile the samples resolve (HdrHistogram's plots end the same way). Empty for an
 * empty trend.
 *
 * @example
 * percentileDistribution(trend).map((p) => [p.x, p.ms]); // [[1, 0.8], [1.15, 0.9], …, [1000, 212]]
 */
export function percentileDistribution(trend: TrendFigures): DistributionPoint[] {
  if (trend.count === 0) return [];
  const points: DistributionPoint[] = [];
  for (let i = 0; ; i++) {
    const x = 2 ** (i / TICKS_PER_HALF_DISTANCE);
    if (x >= trend.count) break;
    const percentile = 100 * (1 - 1 / x);
    points.push({ x, percentile, ms: trendPercentileMs(trend, percentile) });
  }
  points.push({ x: trend.count, percentile: 100 * (1 - 1 / trend.count), ms: trend.maxUs / 1_000 });
  return points;
}
