import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotList } from './slot-list.js';
import { SmallSet } from './small-set.js';

/** Random adds and deletes, applied to the structure under test and to a `Set`. */
const operations = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 15 })), { maxLength: 200 });

describe('SlotList', () => {
  it('holds what a Set would, each item knowing its index, after any adds and deletes', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const items = Array.from({ length: 16 }, () => ({ slot: -1 }));
        const list = new SlotList<{ slot: number }>();
        const reference = new Set<{ slot: number }>();
        for (const [add, n] of ops) {
          const item = items[n]!;
          if (add && !reference.has(item)) {
            list.add(item);
            reference.add(item);
          } else if (!add) {
            list.delete(item);
            reference.delete(item);
          }
        }
        expect(new Set(list.items)).toEqual(reference);
        expect(list.size).toBe(reference.size);
        expect(list.items.map((item) => item.slot)).toEqual(list.items.map((_, i) => i));
        for (const item of items) if (!reference.has(item)) expect(item.slot).toBe(-1);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('ignores a delete of an item it does not hold, even one whose slot points into it', () => {
    const list = new SlotList<{ slot: number }>();
    const held = { slot: -1 };
    list.add(held);
    list.delete({ slot: 0 });
    expect(list.items).toEqual([held]);
  });
});

describe('SmallSet', () => {
  it('holds what a Set would after any adds and deletes, and says whether a delete found its item', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const set = new SmallSet<number>();
        const reference = new Set<number>();
        for (const [add, n] of ops) {
          if (add && !reference.has(n)) {
            set.add(n);
            reference.add(n);
          } else if (!add) {
            expect(set.delete(n)).toBe(reference.delete(n));
          }
        }
        expect(new Set(set.snapshot())).toEqual(reference);
        expect(set.size).toBe(reference.size);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('gives a snapshot its members can delete themselves from while it is walked', () => {
    const set = new SmallSet<number>();
    for (const n of [1, 2, 3]) set.add(n);
    const seen: number[] = [];
    for (const n of set.snapshot()) {
      seen.push(n);
      set.delete(n);
    }
    expect(seen.sort()).toEqual([1, 2, 3]);
    expect(set.size).toBe(0);
  });
});
