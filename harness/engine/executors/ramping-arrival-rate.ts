import type { RampingArrivalRateConfig } from '../../../scenarios/model/executors/ramping-arrival-rate.js';
import { stripedCount } from '../../../scenarios/model/executors/stripe.js';
import { runArrivalRate } from './arrival-rate-loop.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { stripedOffsets } from './striped-schedule.js';

/**
 * Total iterations of a rate curve: the integral of the piecewise-linear rate (iterations per
 * `timeUnit`) over the stages.
 *
 * @example
 * rampingArrivalIntegral({ startRate: 0, timeUnit: 1_000, stages: [{ duration: 10_000, target: 100 }] }) // 500
 */
export function rampingArrivalIntegral(config: {
  startRate: number;
  timeUnit: number;
  stages: readonly { duration: number; target: number }[];
}): number {
  let from = config.startRate;
  let area = 0;
  for (const stage of config.stages) {
    area += (stage.duration * (from + stage.target)) / 2 / config.timeUnit;
    from = stage.target;
  }
  return area;
}

/**
 * How many offsets {@link rampingArrivalOffsets} yields: iteration k (from 1) starts where the
 * rate's integral reaches k, with the generator's epsilon, so an integral of exactly k counts.
 *
 * @example
 * rampingArrivalCount({ startRate: 0, timeUnit: 1_000, stages: [{ duration: 10_000, target: 10 }] }); // 50
 */
export function rampingArrivalCount(config: {
  startRate: number;
  timeUnit: number;
  stages: readonly { duration: number; target: number }[];
}): number {
  return Math.max(0, Math.floor(rampingArrivalIntegral(config) * (1 + 1e-12) + 1e-9));
}

/**
 * The intended starts of `ramping-arrival-rate`, ms after its start, as k6 computes them:
 * iteration k (from 1) starts where the integral of the rate curve reaches k, solved exactly
 * per stage (the quadratic of a linear ramp, in its cancellation-free form), so the total is
 * `floor(integral)` and nothing drifts.
 *
 * @example
 * const next = rampingArrivalOffsets({ startRate: 0, timeUnit: 1_000, stages: [{ duration: 2_000, target: 100 }] });
 * next(); // 200: the area under the ramp, 2.5e-5·t², reaches 1 there
 */
export function rampingArrivalOffsets(config: {
  startRate: number;
  timeUnit: number;
  stages: readonly { duration: number; target: number }[];
}): () => number | undefined {
  let stageIndex = 0;
  let stageStart = 0; // ms
  let doneBefore = 0; // area at the start of the current stage
  let from = config.startRate / config.timeUnit; // iterations per ms
  let k = 1;
  const stageEnd = () => {
    const stage = config.stages[stageIndex];
    if (stage === undefined) return undefined;
    const to = stage.target / config.timeUnit;
    return { stage, to, area: doneBefore + (stage.duration * (from + to)) / 2 };
  };
  let current = stageEnd();
  return () => {
    while (current !== undefined) {
      // A relative epsilon so that an integral of exactly k is not lost to rounding.
      if (k <= current.area * (1 + 1e-12) + 1e-9) {
        const x = k - doneBefore; // area still to cover inside this stage
        const slope = current.stage.duration > 0 ? (current.to - from) / current.stage.duration : 0;
        const disc = Math.max(0, from * from + 2 * slope * x);
        const denominator = from + Math.sqrt(disc);
        const t = denominator > 0 ? (2 * x) / denominator : 0;
        k++;
        return stageStart + Math.min(t, current.stage.duration);
      }
      stageStart += current.stage.duration;
      doneBefore = current.area;
      from = current.to;
      stageIndex++;
      current = stageEnd();
    }
    return undefined;
  };
}

/**
 * Runs `ramping-arrival-rate` (see {@link runArrivalRate} for VUs and drops). Its length is
 * the sum of the stages' durations.
 *
 * @example
 * await runRampingArrivalRate(
 *   rampingArrivalRateSchema.parse({
 *     executor: 'ramping-arrival-rate', preAllocatedVUs: 50, maxVUs: 200,
 *     stages: [{ duration: '30s', target: 500 }, { duration: '1m', target: 500 }, { duration: '10s', target: 0 }],
 *   }),
 *   env,
 * );
 */
export function runRampingArrivalRate(
  config: RampingArrivalRateConfig,
  env: ExecutorEnv,
): Promise<ExecutorSummary> {
  return runArrivalRate('ramping-arrival-rate', env, {
    nextOffsetMs: stripedOffsets(rampingArrivalOffsets(config), config.stripe),
    scheduled: stripedCount(rampingArrivalCount(config), config.stripe),
    durationMs: config.stages.reduce((sum, s) => sum + s.duration, 0),
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStopMs: config.gracefulStop,
  });
}
