import { z } from 'zod';

/**
 * The share of an arrival-rate executor's schedule that one process of a split run starts:
 * iteration *i* of the whole schedule (from 0) is this process's when `i mod count = index`.
 * Every process computes the whole schedule's intended starts, so the stripes of `0 … count-1`
 * together are exactly the one-process schedule (the same count, the same intended starts),
 * whatever the rate; k6's execution segments stripe arrival-rate iterations the same way.
 * Set by `segmentOf` (`run --segment`, `--segments`, `--workers`); absent: the whole schedule.
 *
 * @example
 * stripeSchema.parse({ index: 1, count: 3 }) // iterations 1, 4, 7, … of the schedule
 */
export const stripeSchema = z
  .strictObject({
    index: z.number().int().min(0, { error: 'expected an integer ≥ 0' }),
    count: z.number().int().min(1, { error: 'expected a positive integer' }).max(10_000),
  })
  .refine((s) => s.index < s.count, { path: ['index'], error: 'expected index < count' });
/** A parsed stripe: `index` of `count`. */
export type Stripe = z.output<typeof stripeSchema>;

/**
 * How many of `total` scheduled iterations (numbered from 0) fall in `stripe`.
 *
 * @example
 * stripedCount(10, { index: 0, count: 3 }) // 4 (0, 3, 6, 9)
 * stripedCount(10, { index: 2, count: 3 }) // 3 (2, 5, 8)
 */
export function stripedCount(total: number, stripe: Stripe | undefined): number {
  if (stripe === undefined) return total;
  return total > stripe.index ? Math.floor((total - stripe.index - 1) / stripe.count) + 1 : 0;
}
