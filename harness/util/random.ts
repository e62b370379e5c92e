/**
 * Seeded randomness shared by the mock (fault dice, reply delays) and the engine (op mix,
 * message texts): every run with the same seed makes the same choices.
 */

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast, seeded 32-bit PRNG. Good enough for fault dice and reply
 * delays; the point is reproducibility, not cryptographic quality.
 *
 * @example
 * const rand = seededRandom(42);
 * rand(); // same sequence for seed 42, every run
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Derives an independent stream from one seed, so that (for example) the assistant drawing
 * a reply delay never shifts the fault dice.
 */
export function deriveRandom(seed: number, stream: number): Random {
  return seededRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35));
}
