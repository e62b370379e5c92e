import { z } from 'zod';
import { positiveDurationSchema } from '../../../harness/util/duration.js';
import { commonFields, DEFAULT_MAX_DURATION_MS, intAtLeast } from './common.js';

/**
 * `per-vu-iterations` (closed model): each of `vus` VUs (default 1) runs exactly `iterations`
 * iterations (default 1), within `maxDuration` (default 10 min).
 *
 * @example
 * perVuIterationsSchema.parse({ executor: 'per-vu-iterations', vus: 5, iterations: 20 }) // maxDuration: 600000
 */
export const perVuIterationsSchema = z.strictObject({
  executor: z.literal('per-vu-iterations'),
  ...commonFields,
  vus: intAtLeast(1).default(1),
  iterations: intAtLeast(1).default(1),
  maxDuration: positiveDurationSchema.default(DEFAULT_MAX_DURATION_MS),
});
/** Parsed `per-vu-iterations` config; durations in ms. */
export type PerVuIterationsConfig = z.output<typeof perVuIterationsSchema>;
/** `per-vu-iterations` config as authored. */
export type PerVuIterationsInput = z.input<typeof perVuIterationsSchema>;
