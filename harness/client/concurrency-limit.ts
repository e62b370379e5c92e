import { QueueFullError } from './errors.js';

/**
 * A concurrency cap with two priorities (retries go before first attempts) and a bounded
 * queue: what the limiter uses when there is no request budget to enforce, in place of
 * bottleneck, whose per-job scheduling costs milliseconds at high rates. A task starts at
 * once while fewer than `maxConcurrent` run: no promise, timer or allocation beyond the task's.
 *
 * @example
 * const limit = createConcurrencyLimit(10, 10_000);
 * await limit.run(true, send, request);   // a retry: jumps the queue of first attempts
 */
export interface ConcurrencyLimit {
  /**
   * Runs `task(arg)` once fewer than `maxConcurrent` run. While it waits in the queue, an abort
   * of `signal` takes it out and rejects with the signal's reason (the task never starts).
   * The task takes its argument so that a caller can pass one function made once, not a
   * closure per call.
   */
  run<A, T>(urgent: boolean, task: (arg: A) => Promise<T>, arg: A, signal?: AbortSignal): Promise<T>;
  /** Rejects every queued task with `error` (they never start); running ones go on. */
  drain(error: Error): void;
}

/** A queued task's start; `cancelled` once its signal aborted (skipped when its turn comes). */
interface Waiter {
  start: () => void;
  reject: (error: unknown) => void;
  cancelled: boolean;
}

export function createConcurrencyLimit(maxConcurrent: number, maxQueued: number): ConcurrencyLimit {
  let running = 0;
  let queued = 0;
  const urgentQueue: Waiter[] = [];
  const normalQueue: Waiter[] = [];

  const release = () => {
    for (;;) {
      const next = urgentQueue.shift() ?? normalQueue.shift();
      if (next === undefined) {
        running--;
        return;
      }
      if (next.cancelled) continue;
      queued--;
      next.start();
      return;
    }
  };

  // `then` with both handlers instead of `finally`: one promise less per attempt, on the hot path.
  const releaseWith = <T>(value: T): T => {
    release();
    return value;
  };
  const releaseThrowing = (error: unknown): never => {
    release();
    throw error;
  };

  return {
    run(urgent, task, arg, signal) {
      if (running < maxConcurrent) {
        running++;
        return task(arg).then(releaseWith, releaseThrowing);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (queued >= maxQueued) {
        return Promise.reject(
          new QueueFullError('an attempt in the rate limiter', maxQueued, 'rateLimit.maxQueued'),
        );
      }
      queued++;
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { start: resolve, reject, cancelled: false };
        if (signal !== undefined) {
          const onAbort = () => {
            // Left in its queue, marked: removing it would cost a search; release() skips it.
            waiter.cancelled = true;
            queued--;
            reject(signal.reason);
          };
          waiter.reject = (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          };
          signal.addEventListener('abort', onAbort, { once: true });
          waiter.start = () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
        }
        (urgent ? urgentQueue : normalQueue).push(waiter);
      }).then(() => task(arg).then(releaseWith, releaseThrowing));
    },
    drain(error) {
      for (const queue of [urgentQueue, normalQueue]) {
        for (const waiter of queue.splice(0)) if (!waiter.cancelled) waiter.reject(error);
      }
      queued = 0;
    },
  };
}
