import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFifo } from './fifo.js';

describe('createFifo', () => {
  it('gives values back in the order they came, through any mix of pushes and shifts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 5_000 }), (ops) => {
        const fifo = createFifo<number>();
        const model: number[] = [];
        for (const op of ops) {
          if (op === null) expect(fifo.shift()).toBe(model.shift());
          else {
            fifo.push(op);
            model.push(op);
          }
          expect(fifo.length).toBe(model.length);
          expect(fifo.peek()).toBe(model[0]);
        }
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('stays right across its copy-down (thousands consumed while values remain)', () => {
    const fifo = createFifo<number>();
    for (let i = 0; i < 10_000; i++) fifo.push(i);
    for (let i = 0; i < 9_000; i++) expect(fifo.shift()).toBe(i);
    expect(fifo.length).toBe(1_000);
    expect(fifo.peek()).toBe(9_000);
    fifo.clear();
    expect(fifo.shift()).toBeUndefined();
  });
});
