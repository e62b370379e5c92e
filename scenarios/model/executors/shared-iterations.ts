import { z } from 'zod';
import { positiveDurationSchema } from '../../../harness/util/duration.js';
import { commonFields, DEFAULT_MAX_DURATION_MS, intAtLeast } from './common.js';

/**
 * `shared-iterations` (closed model): `vus` VUs (default 1) share `iterations` iterations
 * (default 1; at least `vus`, as k6 requires), within `maxDuration` (default 10 min). A fast
 * VU takes more of them.
 *
 * @example
 * sharedIterationsSchema.parse({ executor: 'shared-iterations', vus: 10, iterations: 200, maxDuration: '1m' })
 */
export const sharedIterationsSchema = z
  .strictObject({
    executor: z.literal('shared-iterations'),
    ...commonFields,
    vus: intAtLeast(1).default(1),
    iterations: intAtLeast(1).default(1),
    maxDuration: positiveDurationSchema.default(DEFAULT_MAX_DURATION_MS),
  })
  .refine((c) => !(Number.isInteger(c.iterations) && Number.isInteger(c.vus) && c.iterations < c.vus), {
    path: ['iterations'],
    error: (issue) => {
      const c = issue.input as { vus: number };
      return `expected at least as many iterations as vus (${c.vus})`;
    },
    when: () => true,
  });
/** Parsed `shared-iterations` config; durations in ms. */
export type SharedIterationsConfig = z.output<typeof sharedIterationsSchema>;
/** `shared-iterations` config as authored. */
export type SharedIterationsInput = z.input<typeof sharedIterationsSchema>;
