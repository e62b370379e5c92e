import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanHint, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('vsu', 'vus')).toBe(1);
  });

  it('is symmetric, zero only for equal strings, and at most the longer length', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        (a, b, c) => {
          expect(editDistance(a, b)).toBe(editDistance(b, a));
          expect(editDistance(a, b) === 0).toBe(a === b);
          expect(editDistance(a, c)).toBeLessThanOrEqual(Math.max(a.length, c.length));
        },
      ),
    );
  });
});

describe('didYouMean', () => {
  const scenarios = ['smoke', 'steady', 'ramp', 'spike', 'rate-limit-storm', 'chaos', 'soak', 'conversation'];

  it('suggests the name a typo was meant to be', () => {
    expect(didYouMean('smok', scenarios)).toBe('smoke');
    expect(didYouMean('stedy', scenarios)).toBe('steady');
    expect(didYouMean('SMOKE', scenarios)).toBe('smoke');
    expect(didYouMean('rate-limit', scenarios)).toBe('rate-limit-storm');
    expect(didYouMean('converstion', scenarios)).toBe('conversation');
    expect(didYouMean('sendMesage', ['createSession', 'sendMessage', 'poll'])).toBe('sendMessage');
    expect(didYouMean('vsu', ['vus', 'rate', 'duration'])).toBe('vus');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('xyz', scenarios)).toBeUndefined();
    expect(didYouMean('benchmark', scenarios)).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
    // An ambiguous prefix is not a suggestion.
    expect(didYouMean('sp', ['spike', 'spam'])).toBeUndefined();
  });

  it('only ever returns one of the candidates', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 6 }),
        (input, list) => {
          const near = didYouMean(input, list);
          if (near !== undefined) expect(list).toContain(near);
        },
      ),
    );
  });

  it('didYouMeanHint renders the suffix of a message', () => {
    expect(didYouMeanHint('smok', scenarios)).toBe(' Did you mean "smoke"?');
    expect(didYouMeanHint('xyz', scenarios)).toBe('');
  });
});
