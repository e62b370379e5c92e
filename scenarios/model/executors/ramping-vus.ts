import { z } from 'zod';
import { durationSchema } from '../../../harness/util/duration.js';
import { commonFields, DEFAULT_GRACEFUL_STOP_MS, intAtLeast } from './common.js';

/** One stage: the VU count moves linearly to `target` over `duration`. */
const vuStageSchema = z.strictObject({
  duration: durationSchema,
  target: intAtLeast(0),
});

/**
 * `ramping-vus` (closed model): from `startVUs` (default 1) the number of looping VUs follows
 * `stages` linearly; a VU ramped down finishes its iteration within `gracefulRampDown`
 * (default 30 s), then its signal aborts.
 *
 * @example
 * rampingVusSchema.parse({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '30s', target: 20 }] })
 */
export const rampingVusSchema = z
  .strictObject({
    executor: z.literal('ramping-vus'),
    ...commonFields,
    startVUs: intAtLeast(0).default(1),
    stages: z.array(vuStageSchema, { error: 'expected a list of stages {duration, target}' }).min(1, {
      error: 'expected at least one stage {duration, target}',
    }),
    gracefulRampDown: durationSchema.default(DEFAULT_GRACEFUL_STOP_MS),
  })
  .refine(
    (c) =>
      !(
        c.startVUs === 0 &&
        Array.isArray(c.stages) &&
        c.stages.length > 0 &&
        c.stages.every((s) => s?.target === 0)
      ),
    { path: ['stages'], error: 'expected startVUs or some stage target to be > 0', when: () => true },
  );
/** Parsed `ramping-vus` config; durations in ms. */
export type RampingVusConfig = z.output<typeof rampingVusSchema>;
/** `ramping-vus` config as authored. */
export type RampingVusInput = z.input<typeof rampingVusSchema>;
