import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { isQueueFullError } from './errors.js';

/** A task that stays running until released, recording when it started. */
function gatedTask(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createConcurrencyLimit', () => {
  it('never runs more than the cap, and runs urgent (retry) tasks before queued first attempts', async () => {
    const limit = createConcurrencyLimit(2, 10);
    const log: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((n) => gatedTask(log, n));
    const urgent = gatedTask(log, 'retry');
    const results = [
      limit.run(false, tasks[0]!.task, undefined),
      limit.run(false, tasks[1]!.task, undefined),
      limit.run(false, tasks[2]!.task, undefined),
      limit.run(false, tasks[3]!.task, undefined),
      limit.run(true, urgent.task, undefined),
    ];
    await tick();
    expect(log).toEqual(['a', 'b']);
    tasks[0]!.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'retry']);
    tasks[1]!.release();
    urgent.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'retry', 'c', 'd']);
    tasks[2]!.release();
    tasks[3]!.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'retry']);
  });

  it('hands the task its argument, at once or once it leaves the queue', async () => {
    const limit = createConcurrencyLimit(1, 10);
    const log: string[] = [];
    const held = gatedTask(log, 'held');
    const first = limit.run(false, held.task, undefined);
    const queued = limit.run(false, async (n: number) => n * 2, 21);
    held.release();
    expect(await first).toBe('held');
    expect(await queued).toBe(42);
    expect(await limit.run(true, async (s: string) => `${s}!`, 'now')).toBe('now!');
  });

  it('frees the slot when a task fails', async () => {
    const limit = createConcurrencyLimit(1, 10);
    await expect(limit.run(false, () => Promise.reject(new Error('boom')), undefined)).rejects.toThrow(
      'boom',
    );
    expect(await limit.run(false, async () => 'next', undefined)).toBe('next');
  });

  it('refuses with QueueFullError when the queue is full', async () => {
    const limit = createConcurrencyLimit(1, 1);
    const log: string[] = [];
    const held = gatedTask(log, 'held');
    const first = limit.run(false, held.task, undefined);
    const queued = limit.run(false, async () => 'queued', undefined);
    const refused = limit.run(false, async () => 'refused', undefined).catch((err: unknown) => err);
    expect(isQueueFullError(await refused)).toBe(true);
    held.release();
    expect(await first).toBe('held');
    expect(await queued).toBe('queued');
  });
});
