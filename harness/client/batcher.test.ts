import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from './batcher.js';
import { isClientClosedError, isQueueFullError } from './errors.js';

interface Item {
  thread: string;
  n: number;
}

describe('createBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function deferredProcessor() {
    const log: string[] = [];
    const pending = new Map<string, { resolve(): void; reject(e: Error): void }>();
    const process = (item: Item) =>
      new Promise<string>((resolve, reject) => {
        const name = `${item.thread}${item.n}`;
        log.push(`start ${name}`);
        pending.set(name, {
          resolve: () => resolve(name),
          reject: (e) => reject(e),
        });
      });
    return { log, pending, process };
  }

  it('flushes on time, keeps per-thread order and runs threads side by side', async () => {
    const { log, pending, process } = deferredProcessor();
    const batcher = createBatcher<Item, string>({ keyOf: (i) => i.thread, process, maxWaitMs: 20 });
    const results = [
      batcher.add({ thread: 'a', n: 1 }),
      batcher.add({ thread: 'b', n: 1 }),
      batcher.add({ thread: 'a', n: 2 }),
    ];
    await vi.advanceTimersByTimeAsync(19);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['start a1', 'start b1']); // a2 waits for a1
    pending.get('b1')!.resolve();
    pending.get('a1')!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
    pending.get('a2')!.resolve();
    expect(await Promise.all(results)).toEqual(['a1', 'b1', 'a2']);
  });

  it('flushes at maxBatchSize without waiting, and keeps order across batches', async () => {
    const { log, pending, process } = deferredProcessor();
    const batcher = createBatcher<Item, string>({ keyOf: (i) => i.thread, process, maxBatchSize: 2 });
    const first = [batcher.add({ thread: 'a', n: 1 }), batcher.add({ thread: 'a', n: 2 })];
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['start a1']);
    const third = batcher.add({ thread: 'a', n: 3 });
    batcher.flush();
    pending.get('a1')!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    pending.get('a2')!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    pending.get('a3')!.resolve();
    expect(await Promise.all([...first, third])).toEqual(['a1', 'a2', 'a3']);
    expect(log).toEqual(['start a1', 'start a2', 'start a3']);
  });

  it('settles every item on its own: one failure rejects only that item, the next still runs', async () => {
    const { pending, process } = deferredProcessor();
    const batcher = createBatcher<Item, string>({ keyOf: (i) => i.thread, process, maxBatchSize: 3 });
    const [a1, a2, b1] = [
      batcher.add({ thread: 'a', n: 1 }),
      batcher.add({ thread: 'a', n: 2 }),
      batcher.add({ thread: 'b', n: 1 }),
    ];
    const all = Promise.allSettled([a1, a2, b1]);
    await vi.advanceTimersByTimeAsync(0);
    pending.get('a1')!.reject(new Error('a1 failed'));
    pending.get('b1')!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    pending.get('a2')!.resolve();
    const settled = await all;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });

  it('refuses items beyond maxQueued with a clear QueueFullError', async () => {
    const { process } = deferredProcessor();
    const batcher = createBatcher<Item, string>({ keyOf: (i) => i.thread, process, maxQueued: 2 });
    void batcher.add({ thread: 'a', n: 1 });
    void batcher.add({ thread: 'a', n: 2 });
    const refused = await batcher.add({ thread: 'a', n: 3 }).catch((e: unknown) => e);
    expect(isQueueFullError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/holds 2 item\(s\).*batching\.maxQueued/);
  });

  it('flushes on close, waits for every item, then refuses new ones', async () => {
    const { log, pending, process } = deferredProcessor();
    const batcher = createBatcher<Item, string>({ keyOf: (i) => i.thread, process, maxWaitMs: 10_000 });
    const item = batcher.add({ thread: 'a', n: 1 });
    let closed = false;
    const closing = batcher.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['start a1']);
    expect(closed).toBe(false);
    pending.get('a1')!.resolve();
    await closing;
    expect(await item).toBe('a1');
    expect(isClientClosedError(await batcher.add({ thread: 'a', n: 2 }).catch((e: unknown) => e))).toBe(true);
  });
});

describe('createBatcher (property)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('for any items and any settling order: per-key start order = add order, one at a time per key, own outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), fail: fc.boolean() }), { maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        async (items, picks, maxBatchSize) => {
          const started: number[] = [];
          const running: { index: number; settle(): void }[] = [];
          const busy = new Set<string>();
          let overlap = false;
          const batcher = createBatcher<number, number>({
            keyOf: (i) => items[i]!.key,
            maxBatchSize,
            maxWaitMs: 0,
            process: (i) =>
              new Promise<number>((resolve, reject) => {
                const key = items[i]!.key;
                if (busy.has(key)) overlap = true;
                busy.add(key);
                started.push(i);
                running.push({
                  index: i,
                  settle: () => {
                    busy.delete(key);
                    if (items[i]!.fail) reject(new Error(`item ${i}`));
                    else resolve(i);
                  },
                });
              }),
          });
          const outcomes = items.map((_, i) =>
            batcher.add(i).then(
              (v) => ({ ok: true, v }),
              (e: Error) => ({ ok: false, v: e.message }),
            ),
          );
          batcher.flush();
          let step = 0;
          for (let guard = 0; guard < 200; guard++) {
            await vi.advanceTimersByTimeAsync(0);
            if (running.length === 0) break;
            const [next] = running.splice(picks[step++ % picks.length]! % running.length, 1);
            next!.settle();
          }
          await vi.advanceTimersByTimeAsync(0);
          const results = await Promise.all(outcomes);
          expect(overlap).toBe(false);
          for (const key of ['a', 'b', 'c']) {
            const added = items.flatMap((it, i) => (it.key === key ? [i] : []));
            expect(started.filter((i) => items[i]!.key === key)).toEqual(added);
          }
          results.forEach((r, i) => {
            expect(r).toEqual(items[i]!.fail ? { ok: false, v: `item ${i}` } : { ok: true, v: i });
          });
          await batcher.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
