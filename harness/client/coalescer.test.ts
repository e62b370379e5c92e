import { describe, expect, it } from 'vitest';
import { createCoalescer } from './coalescer.js';

describe('createCoalescer', () => {
  it('shares one execution between concurrent calls with the same key', async () => {
    const polls = createCoalescer<number>();
    let runs = 0;
    let release!: (v: number) => void;
    const task = () => {
      runs++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const a = polls.run('t1', task);
    const b = polls.run('t1', task);
    expect(polls.size()).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(runs).toBe(1);
    expect(polls.size()).toBe(0);
    await polls.run('t1', async () => 8);
    expect(polls.size()).toBe(0);
  });

  it('keeps different keys apart and forgets a failed call', async () => {
    const polls = createCoalescer<string>();
    const failing = polls.run('a', async () => {
      throw new Error('boom');
    });
    const other = polls.run('b', async () => 'b');
    await expect(failing).rejects.toThrow('boom');
    expect(await other).toBe('b');
    expect(await polls.run('a', async () => 'again')).toBe('again');
  });
});
