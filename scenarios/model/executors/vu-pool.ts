import type { z } from 'zod';
import { intAtLeast } from './common.js';

/** The VU pool of the arrival-rate executors: VUs made up front, and the most they may grow to. */
export const vuPoolFields = {
  preAllocatedVUs: intAtLeast(0),
  maxVUs: intAtLeast(1).optional(),
};

/** What is wrong with a config's VU bounds (k6's rules), or undefined. Reads unparsed input too. */
export function vuBoundsProblem(c: { preAllocatedVUs?: unknown; maxVUs?: unknown }): string | undefined {
  const pre = typeof c.preAllocatedVUs === 'number' ? c.preAllocatedVUs : undefined;
  const max = typeof c.maxVUs === 'number' ? c.maxVUs : pre;
  if (pre !== undefined && max !== undefined && max < pre) {
    return `expected maxVUs ≥ preAllocatedVUs (${pre})`;
  }
  if (max === 0) return 'expected maxVUs > 0 (set maxVUs or preAllocatedVUs)';
  return undefined;
}

/**
 * An arrival-rate executor's schema with the VU-bound rule checked (reported on `maxVUs`) and
 * `maxVUs` defaulted to `preAllocatedVUs`, as k6 does.
 *
 * @example
 * export const schema = withVuPool(z.strictObject({ executor: z.literal('constant-arrival-rate'), ...vuPoolFields, … }));
 */
export function withVuPool<S extends z.ZodObject<typeof vuPoolFields & z.core.$ZodLooseShape>>(schema: S) {
  return schema
    .refine((c) => vuBoundsProblem(c) === undefined, {
      path: ['maxVUs'],
      error: (issue) => vuBoundsProblem(issue.input as Record<string, unknown>),
      when: () => true,
    })
    .transform((c) => ({ ...c, maxVUs: (c.maxVUs as number | undefined) ?? (c.preAllocatedVUs as number) }));
}
