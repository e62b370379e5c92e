import { z } from 'zod';
import { positiveDurationSchema } from '../../../harness/util/duration.js';
import { commonFields, intAtLeast } from './common.js';

/**
 * `constant-vus` (closed model): `vus` VUs (default 1) loop iterations for `duration`
 * (required). Each iteration's intended start is the moment its VU became free.
 *
 * @example
 * constantVusSchema.parse({ executor: 'constant-vus', vus: 10, duration: '30s' }) // duration: 30000
 */
export const constantVusSchema = z.strictObject({
  executor: z.literal('constant-vus'),
  ...commonFields,
  vus: intAtLeast(1).default(1),
  duration: positiveDurationSchema,
});
/** Parsed `constant-vus` config; durations in ms. */
export type ConstantVusConfig = z.output<typeof constantVusSchema>;
/** `constant-vus` config as authored (durations as `'30s'` or ms). */
export type ConstantVusInput = z.input<typeof constantVusSchema>;
