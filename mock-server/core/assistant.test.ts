import { describe, expect, it } from 'vitest';
import { assistantReply } from './assistant.js';
import { seededRandom } from './random.js';

describe('assistantReply', () => {
  it.each([
    ['What is 2+2?', '2 + 2 = 4'],
    ['what is 10 - 3', '10 - 3 = 7'],
    ['6*7', '6 * 7 = 42'],
    ['Compute 7 x 6 please', '7 x 6 = 42'],
    ['1/3?', '1 / 3 = 0.333333'],
    ['5 / 0', '5 / 0 = undefined'],
  ])('answers %j with %j', (question, answer) => {
    expect(assistantReply(question, seededRandom(1))).toBe(answer);
  });

  it('gives a canned reply to anything else, the same for the same seed', () => {
    const replies = (seed: number) => {
      const rand = seededRandom(seed);
      return Array.from({ length: 20 }, () => assistantReply('Hello there', rand));
    };
    expect(replies(9)).toEqual(replies(9));
    expect(new Set(replies(9)).size).toBeGreaterThan(1);
    expect(replies(9).join(' ')).not.toMatch(/=/);
  });
});
