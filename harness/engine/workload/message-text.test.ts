import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/random.js';
import { createMessageText } from './message-text.js';

describe('createMessageText', () => {
  it('returns the fixed content when one is given', () => {
    expect(createMessageText({ content: 'hello', sizeChars: 5 })(seededRandom(1))).toBe('hello');
  });

  it('makes messages within the size range that start with a question the mock answers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4_000 }),
        fc.integer({ min: 0, max: 4_000 }),
        fc.integer(),
        (min, extra, seed) => {
          const max = Math.min(4_000, min + extra);
          const text = createMessageText({ sizeChars: { min, max } })(seededRandom(seed));
          expect(text.length).toBeGreaterThanOrEqual(min);
          expect(text.length).toBeLessThanOrEqual(max);
          if (text.length >= 14) expect(text).toMatch(/^What is \d+\+\d+\? /);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
