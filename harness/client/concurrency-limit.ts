import { QueueFullError } from './errors.js';

/**
 * A concurrency cap with two priorities (retries go before first attempts) and a bounded
 * queue: what the limiter uses when there is no request budget to enforce, in place of
 * bottleneck, whose per-job scheduling costs milliseconds at high rates. A task starts at
 * once while fewer than `maxConcurrent` run: no promise, timer or allocation beyond the task's.
 *
 * @example
 * const limit = createConcurrencyLimit(10, 10_000);
 * await limit.run(true, () => send());   // a retry: jumps the queue of first attempts
 */
export interface ConcurrencyLimit {
  run<T>(urgent: boolean, task: () => Promise<T>): Promise<T>;
}

export function createConcurrencyLimit(maxConcurrent: number, maxQueued: number): ConcurrencyLimit {
  let running = 0;
  const urgentQueue: (() => void)[] = [];
  const normalQueue: (() => void)[] = [];

  const release = () => {
    const next = urgentQueue.shift() ?? normalQueue.shift();
    if (next) next();
    else running--;
  };

  return {
    run(urgent, task) {
      if (running < maxConcurrent) {
        running++;
        return task().finally(release);
      }
      if (urgentQueue.length + normalQueue.length >= maxQueued) {
        return Promise.reject(
          new QueueFullError('an attempt in the rate limiter', maxQueued, 'rateLimit.maxQueued'),
        );
      }
      return new Promise<void>((resolve) => (urgent ? urgentQueue : normalQueue).push(resolve)).then(() =>
        task().finally(release),
      );
    },
  };
}
