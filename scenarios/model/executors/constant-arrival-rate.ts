import { z } from 'zod';
import { positiveDurationSchema } from '../../../harness/util/duration.js';
import { commonFields, positiveNumber } from './common.js';
import { stripeSchema } from './stripe.js';
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
    /** This process's stripe of the schedule in a split run (see `stripe.ts`); absent: all of it. */
    stripe: stripeSchema.optional(),
  }),
);
/** Parsed `constant-arrival-rate` config; durations in ms, `maxVUs` filled in. */
export type ConstantArrivalRateConfig = z.output<typeof constantArrivalRateSchema>;
/** `constant-arrival-rate` config as authored. */
export type ConstantArrivalRateInput = z.input<typeof constantArrivalRateSchema>;
