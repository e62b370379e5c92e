import type { Stripe } from '../../../scenarios/model/executors/stripe.js';

/**
 * The intended starts of one stripe of a schedule: offsets `index`, `index + count`, … of
 * `next` (numbered from 0). The skipped offsets are still computed from the fixed start, so a
 * stripe's intended starts are exactly those of the one-process schedule, and the stripes
 * `0 … count-1` partition it. Without a stripe, `next` itself.
 *
 * @example
 * const next = stripedOffsets(constantArrivalOffsets({ rate: 10, timeUnit: 1_000, duration: 1_000 }), { index: 1, count: 3 });
 * next(); next(); next(); next(); // 100, 400, 700, undefined
 */
export function stripedOffsets(
  next: () => number | undefined,
  stripe: Stripe | undefined,
): () => number | undefined {
  if (stripe === undefined || stripe.count === 1) return next;
  let position = 0; // index in the whole schedule of the next offset `next` yields
  return () => {
    for (;;) {
      const offset = next();
      if (offset === undefined) return undefined;
      const mine = position % stripe.count === stripe.index;
      position++;
      if (mine) return offset;
    }
  };
}
