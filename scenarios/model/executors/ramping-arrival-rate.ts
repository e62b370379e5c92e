import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from '../../../harness/util/duration.js';
import { commonFields, positiveNumber } from './common.js';
import { stripeSchema } from './stripe.js';
import { vuPoolFields, withVuPool } from './vu-pool.js';

/** One stage: the rate moves linearly to `target` (iterations per `timeUnit`) over `duration`. */
const rateStageSchema = z.strictObject({
  duration: durationSchema,
  target: positiveNumber(true),
});

/**
 * `ramping-arrival-rate` (open model): from `startRate` (default 0) the rate follows `stages`
 * linearly, in iterations per `timeUnit` (default 1 s); VUs as `constant-arrival-rate`.
 *
 * @example
 * rampingArrivalRateSchema.parse({
 *   executor: 'ramping-arrival-rate', preAllocatedVUs: 10, maxVUs: 50,
 *   stages: [{ duration: '10s', target: 100 }, { duration: '10s', target: 0 }],
 * })
 */
export const rampingArrivalRateSchema = withVuPool(
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    ...commonFields,
    startRate: positiveNumber(true).default(0),
    timeUnit: positiveDurationSchema.default(1_000),
    stages: z.array(rateStageSchema, { error: 'expected a list of stages {duration, target}' }).min(1, {
      error: 'expected at least one stage {duration, target}',
    }),
    ...vuPoolFields,
    /** This process's stripe of the schedule in a split run (see `stripe.ts`); absent: all of it. */
    stripe: stripeSchema.optional(),
  }),
);
/** Parsed `ramping-arrival-rate` config; durations in ms, `maxVUs` filled in. */
export type RampingArrivalRateConfig = z.output<typeof rampingArrivalRateSchema>;
/** `ramping-arrival-rate` config as authored. */
export type RampingArrivalRateInput = z.input<typeof rampingArrivalRateSchema>;
