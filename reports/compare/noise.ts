/**
 * How much a figure moves within one run: the noise a comparison must see past before it calls
 * a change a regression. Pure functions; the bootstrap is seeded, so the same inputs always give
 * the same band.
 */
import type { TrendData } from '../../harness/engine/recorder/cells.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';
import { seededRandom } from '../../harness/util/random.js';

/** z of a two-sided 95 % interval. */
const Z95 = 1.96;

/**
/** Options of {@link bootstrapRelativeHalfWidth}. */
export interface BootstrapOptions {
  /** Resamples drawn. Default 1 000. */
  resamples?: number;
  /** Seed of the resampling. Default 1. */
  seed?: number;
}

/**
 * The relative half-width (0.05 = ±5 %) of a 95 % bootstrap interval of the mean of `samples`
 * (one value per second of the run): resample the seconds with replacement, take each
 * resample's mean, read the 2.5th and 97.5th percentiles of those means. Null with fewer than
 * two samples or a zero mean. Deterministic for a given seed.
 *
 * @example
 * bootstrapRelativeHalfWidth([10, 11, 9, 10]); // ≈ 0.06
 */
export function bootstrapRelativeHalfWidth(
  samples: readonly number[],
  options: BootstrapOptions = {},
): number | null {
  const n = samples.length;
  if (n < 2) return null;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  if (!(mean > 0)) return null;
  const resamples = options.resamples ?? 1_000;
  const rand = seededRandom(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += samples[Math.floor(rand() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  const lo = means[Math.floor(0.025 * (resamples - 1))]!;
  const hi = means[Math.ceil(0.975 * (resamples - 1))]!;
  return (hi - lo) / 2 / mean;
}

/**
 * The sampling noise of percentile `p` (0–100) of a trend, ms: the larger distance from the
 * percentile to the values at the ranks of a 95 % order-statistic interval
 * (n·p ± 1.96·√(n·p·(1−p))), the ranks clamped to the samples. With few samples (a p99 of 100 values) the interval is cut at the
 * observed min or max and understates the noise; {@link bootstrapRelativeHalfWidth} over the
 * seconds and a floor in ms cover the rest. Null for an empty trend.
 *
 * @example
 * percentileSamplingHalfWidth(trend, 99); // e.g. 4.2 (ms)
 */
export function percentileSamplingHalfWidth(trend: TrendData, p: number): number | null {
  const n = trend.count;
  if (n === 0) return null;
  const q = p / 100;
  const spread = Z95 * Math.sqrt(n * q * (1 - q));
  const loRank = Math.max(1, Math.floor(n * q - spread));
  const hiRank = Math.min(n, Math.ceil(n * q + spread));
  const lo = trendPercentileMs(trend, (100 * loRank) / n);
  const hi = trendPercentileMs(trend, (100 * hiRank) / n);
  const at = trendPercentileMs(trend, p);
  // The wider side: a clamped side would otherwise halve the band.
  return Math.max(hi - at, at - lo);
}

/**
 * The sampling noise of a ratio of `passes` in `total` (Wilson 95 % interval), as a half-width
 * of the ratio. Null with no samples.
 *
 * @example
 * rateSamplingHalfWidth(1, 100); // ≈ 0.024
 */
export function rateSamplingHalfWidth(passes: number, total: number): number | null {
  if (total <= 0) return null;
  const phat = passes / total;
  const z2 = Z95 * Z95;
  return (Z95 * Math.sqrt((phat * (1 - phat)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
}

/**
 * The noise of a difference between two figures: the half-widths added in quadrature; null
 * when either is unknown.
 *
 * @example
 * combinedHalfWidth(3, 4); // 5
 */
export function combinedHalfWidth(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return Math.sqrt(a * a + b * b);
}
