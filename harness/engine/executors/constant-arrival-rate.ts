import type { ConstantArrivalRateConfig } from '../../../scenarios/model/executors/constant-arrival-rate.js';
import { stripedCount } from '../../../scenarios/model/executors/stripe.js';
import { runArrivalRate } from './arrival-rate-loop.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { stripedOffsets } from './striped-schedule.js';

/**
 * The intended starts of `constant-arrival-rate`, ms after its start: iteration i at
 * `i · timeUnit / rate` while that is before `duration` (i from 0, as k6) — so exactly
 * `ceil(duration · rate / timeUnit)` of them.
 *
 * @example
 * const next = constantArrivalOffsets({ rate: 50, timeUnit: 1_000, duration: 2_000 });
 * next(); next(); // 0, 20 … 1980, then undefined (100 in all)
 */
export function constantArrivalOffsets(config: {
  rate: number;
  timeUnit: number;
  duration: number;
}): () => number | undefined {
  let i = 0;
  return () => {
    // i·timeUnit/rate, not i·(timeUnit/rate): one rounding instead of a growing error.
    const offset = (i * config.timeUnit) / config.rate;
    if (offset >= config.duration) return undefined;
    i++;
    return offset;
  };
}

/**
 * How many offsets {@link constantArrivalOffsets} yields, in closed form.
 *
 * @example
 * constantArrivalCount({ rate: 50, timeUnit: 1_000, duration: 2_000 }); // 100
 */
export function constantArrivalCount(config: { rate: number; timeUnit: number; duration: number }): number {
  // The offsets are i·timeUnit/rate for i = 0, 1, … while below duration; the float
  // comparisons are the generator's own, so the two never disagree.
  const { rate, timeUnit, duration } = config;
  let n = Math.ceil((duration * rate) / timeUnit);
  while (n > 0 && ((n - 1) * timeUnit) / rate >= duration) n--;
  while ((n * timeUnit) / rate < duration) n++;
  return n;
}

/**
 * Runs `constant-arrival-rate` (see {@link runArrivalRate} for VUs and drops).
 *
 * @example
 * await runConstantArrivalRate(
 *   constantArrivalRateSchema.parse({ executor: 'constant-arrival-rate', rate: 200, duration: '1m', preAllocatedVUs: 20, maxVUs: 100 }),
 *   env,
 * );
 */
export function runConstantArrivalRate(
  config: ConstantArrivalRateConfig,
  env: ExecutorEnv,
): Promise<ExecutorSummary> {
  return runArrivalRate('constant-arrival-rate', env, {
    nextOffsetMs: stripedOffsets(constantArrivalOffsets(config), config.stripe),
    scheduled: stripedCount(constantArrivalCount(config), config.stripe),
    durationMs: config.duration,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStopMs: config.gracefulStop,
  });
}
