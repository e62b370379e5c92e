import { type Distribution, MAX_DELAY_MS } from './config.js';

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

/** Draws one delay, in ms, from a distribution (at most `MAX_DELAY_MS`). */
export function sampleDelay(dist: Distribution, rand: Random): number {
  switch (dist.type) {
    case 'fixed':
      return dist.ms;
    case 'uniform':
      return dist.minMs + (dist.maxMs - dist.minMs) * rand();
    case 'lognormal': {
      // Box–Muller; 1 - rand() keeps the log argument in (0, 1].
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      // The long tail is cut at the longest delay a timer can wait for.
      return Math.min(dist.medianMs * Math.exp(dist.sigma * z), MAX_DELAY_MS);
    }
  }
}

const HEX = '0123456789abcdef';

/** A version-4-shaped UUID drawn from `rand`: reproducible ids for a seeded simulator. */
export function seededUuid(rand: Random): string {
  let out = '';
  for (let i = 0; i < 32; i++) {
    let nibble = (rand() * 16) | 0;
    if (i === 12) nibble = 4;
    else if (i === 16) nibble = 8 | (nibble & 3);
    out += HEX[nibble];
    if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
  }
  return out;
}
