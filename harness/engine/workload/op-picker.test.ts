import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/random.js';
import { createOpPicker } from './op-picker.js';

describe('createOpPicker', () => {
  it('maps the unit interval onto the weights', () => {
    const pick = createOpPicker({ sendMessage: 3, poll: 1 });
    expect(pick(0)).toBe('sendMessage');
    expect(pick(0.749)).toBe('sendMessage');
    expect(pick(0.75)).toBe('poll');
    expect(pick(0.999_999)).toBe('poll');
  });

  it('picks each op at about its share of the weight, ignoring zero weights', () => {
    const pick = createOpPicker({ sendMessage: 2, poll: 1, getSession: 1, conversation: 0 });
    const rand = seededRandom(5);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 40_000; i++) {
      const op = pick(rand());
      counts[op] = (counts[op] ?? 0) + 1;
    }
    expect(counts.conversation).toBeUndefined();
    // Shares 0.5 / 0.25 / 0.25 of 40 000; ±600 is more than six standard deviations.
    expect(Math.abs(counts.sendMessage! - 20_000)).toBeLessThan(600);
    expect(Math.abs(counts.poll! - 10_000)).toBeLessThan(600);
    expect(Math.abs(counts.getSession! - 10_000)).toBeLessThan(600);
  });

  it('refuses a mix with nothing to pick', () => {
    expect(() => createOpPicker({ poll: 0 })).toThrow(/no operation has a weight > 0/);
  });
});
