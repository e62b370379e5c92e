import type { CounterData, GaugeData, RateData, TrendData } from '../recorder/cells.js';
import { percentileOfCounts, US_PER_MS } from '../recorder/hdr.js';
import type { CounterStats, GaugeStats, RateStats, TrendStats } from './types.js';

/**
 * What a trend's figures are computed from: HdrHistogram counts (µs) and exact count, min, max, sum (µs).
 *
 * @example
 * trendStats(cell); // a TrendCell is TrendFigures
 */
export type TrendFigures = Pick<TrendData, 'counts' | 'count' | 'minUs' | 'maxUs' | 'sumUs'>;

/**
 * The value at percentile `p` (0–100) of a trend, ms: HdrHistogram's value (within 0.1 %),
 * clamped to the exact min and max. NaN when the trend is empty.
 *
 * @example
 * trendPercentileMs(cell, 99); // e.g. 212.48
 */
export function trendPercentileMs(trend: TrendFigures, p: number): number {
  if (trend.count === 0) return Number.NaN;
  const us = percentileOfCounts(trend.counts, trend.count, p);
  return Math.min(trend.maxUs, Math.max(trend.minUs, us)) / US_PER_MS;
}

/**
 * A trend's figures, ms.
 *
 * @example
 * trendStats(cell)['p(95)'];
 */
export function trendStats(trend: TrendFigures): TrendStats {
  const empty = trend.count === 0;
  return {
    count: trend.count,
    sum: trend.sumUs / US_PER_MS,
    min: empty ? 0 : trend.minUs / US_PER_MS,
    max: empty ? 0 : trend.maxUs / US_PER_MS,
    avg: empty ? 0 : trend.sumUs / trend.count / US_PER_MS,
    med: empty ? 0 : trendPercentileMs(trend, 50),
    'p(90)': empty ? 0 : trendPercentileMs(trend, 90),
    'p(95)': empty ? 0 : trendPercentileMs(trend, 95),
    'p(99)': empty ? 0 : trendPercentileMs(trend, 99),
    'p(99.9)': empty ? 0 : trendPercentileMs(trend, 99.9),
  };
}

/**
 * A counter's figures over a run of `elapsedSec` seconds (rate 0 for a zero-length run).
 *
 * @example
 * counterStats({ count: 120 }, 60); // { count: 120, rate: 2 }
 */
export function counterStats(counter: Pick<CounterData, 'count'>, elapsedSec: number): CounterStats {
  return { count: counter.count, rate: elapsedSec > 0 ? counter.count / elapsedSec : 0 };
}

/**
 * A rate's figures.
 *
 * @example
 * rateStats({ passes: 1, fails: 3 }); // { rate: 0.25, passes: 1, fails: 3 }
 */
export function rateStats(rate: Pick<RateData, 'passes' | 'fails'>): RateStats {
  const total = rate.passes + rate.fails;
  return { rate: total > 0 ? rate.passes / total : 0, passes: rate.passes, fails: rate.fails };
}

/**
 * A gauge's figures.
 *
 * @example
 * gaugeStats({ value: 4, min: 1, max: 10 }); // { value: 4, min: 1, max: 10 }
 */
export function gaugeStats(gauge: Pick<GaugeData, 'value' | 'min' | 'max'>): GaugeStats {
  return { value: gauge.value, min: gauge.min, max: gauge.max };
}
