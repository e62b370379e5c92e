import { deriveRandom, type Random, seededRandom } from '../../harness/util/random.js';
import { type Distribution, MAX_DELAY_MS } from './config.js';

// The seeded generators live in harness/util (the engine uses them too); re-exported here
// for the mock's own modules.
export { deriveRandom, type Random, seededRandom };

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
