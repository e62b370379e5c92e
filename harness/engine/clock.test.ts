import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRealClock } from './clock.js';
import { createVirtualClock } from './clock-virtual.js';

describe('createVirtualClock', () => {
  it('jumps to the earliest sleeper and wakes sleepers in time order, ties in sleep order', async () => {
    const clock = createVirtualClock();
    const woke: string[] = [];
    const sleep = (name: string, at: number) =>
      clock.sleepUntil(at).then(() => woke.push(`${name}@${clock.now()}`));
    await Promise.all([sleep('c', 300), sleep('a', 100), sleep('b', 100), sleep('d', 50)]);
    expect(woke).toEqual(['d@50', 'a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(300);
  });

  it('lets the consequences of one wake-up settle before the next sleeper at the same time', async () => {
    const clock = createVirtualClock();
    const order: string[] = [];
    const first = (async () => {
      await clock.sleepUntil(10);
      await Promise.resolve();
      await Promise.resolve();
      order.push('first, three hops later');
    })();
    const second = clock.sleepUntil(10).then(() => order.push('second'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first, three hops later', 'second']);
  });

  it('wakes any set of sleepers in (time, sleep order), each at its own time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 40 }), async (times) => {
        const clock = createVirtualClock();
        const woke: [number, number][] = [];
        await Promise.all(times.map((t, i) => clock.sleepUntil(t).then(() => woke.push([clock.now(), i]))));
        const expected = times
          .map((t, i): [number, number] => [t, i])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(woke).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('never moves backwards and resolves past times without advancing', async () => {
    const clock = createVirtualClock(1_000);
    await clock.sleepUntil(500);
    expect(clock.now()).toBe(1_000);
  });

  it('wakes an aborted sleeper at once and forgets its timer', async () => {
    const clock = createVirtualClock();
    const ctl = new AbortController();
    const long = clock.sleepUntil(1e9, ctl.signal);
    expect(clock.pendingSleeps).toBe(1);
    ctl.abort();
    await long;
    expect(clock.pendingSleeps).toBe(0);
    await clock.sleepUntil(20);
    expect(clock.now()).toBe(20);
  });

  it('loops of sleeps from a fixed start land exactly on their marks', async () => {
    const clock = createVirtualClock();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.sleepUntil(i * 0.1);
      seen.push(clock.now());
    }
    expect(seen).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4]);
  });
});

describe('createRealClock', () => {
  it('never wakes before the requested time and yields when the time has passed', async () => {
    const clock = createRealClock();
    for (const delay of [0, 0.3, 2, 7]) {
      const at = clock.now() + delay;
      await clock.sleepUntil(at);
      expect(clock.now()).toBeGreaterThanOrEqual(at);
    }
    let yielded = false;
    setImmediate(() => {
      yielded = true;
    });
    await clock.sleepUntil(clock.now() - 5);
    expect(yielded).toBe(true);
  });

  it('wakes at once on abort', async () => {
    const clock = createRealClock({ spinMs: 1 });
    const ctl = new AbortController();
    const sleeping = clock.sleepUntil(clock.now() + 60_000, ctl.signal);
    ctl.abort();
    await sleeping; // the test would time out otherwise
    await clock.sleepUntil(clock.now() + 1.5);
  });
});
