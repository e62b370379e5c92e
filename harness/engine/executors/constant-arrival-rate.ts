import { z } from 'zod';
import { runArrivalRate } from './arrival-rate-loop.js';
import { commonFields, type ExecutorEnv, type ExecutorSummary, positiveNumber } from './base.js';
import { positiveDurationSchema } from './duration.js';
import { vuPoolFields, withVuPool } from './vu-pool.js';

/**
 * `constant-arrival-rate` (open model): `rate` iterations per `timeUnit` (default 1 s) for
 * `duration`, started on `preAllocatedVUs` VUs, growing to `maxVUs` (default
 * `preAllocatedVUs`) when they are all busy.
 *
 * @example
 * constantArrivalRateSchema.parse({ executor: 'constant-arrival-rate', rate: 50, duration: '2s', preAllocatedVUs: 5 })
 * // → { rate: 50, timeUnit: 1000, duration: 2000, preAllocatedVUs: 5, maxVUs: 5, startTime: 0, gracefulStop: 30000, … }
 */
export const constantArrivalRateSchema = withVuPool(
  z.strictObject({
    executor: z.literal('constant-arrival-rate'),
    ...commonFields,
    rate: positiveNumber(),
    timeUnit: positiveDurationSchema.default(1_000),
    duration: positiveDurationSchema,
    ...vuPoolFields,
  }),
);
/** Parsed `constant-arrival-rate` config; durations in ms, `maxVUs` filled in. */
export type ConstantArrivalRateConfig = z.output<typeof constantArrivalRateSchema>;
/** `constant-arrival-rate` config as authored. */
export type ConstantArrivalRateInput = z.input<typeof constantArrivalRateSchema>;

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
    nextOffsetMs: constantArrivalOffsets(config),
    scheduled: constantArrivalCount(config),
    durationMs: config.duration,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStopMs: config.gracefulStop,
  });
}
