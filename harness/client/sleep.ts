import { type ClientTimers, realTimers } from './timers.js';

/**
 * Waits `ms` milliseconds on `timers`; rejects with the signal's reason if it aborts first.
 * The default, {@link realTimers}, looks up the global `setTimeout` per call, so fake timers
 * drive it in tests; pass the client's timers to wait on its (possibly virtual) clock.
 *
 * @example
 * await sleep(backoff.delayMs(attempt), signal, o.timers);
 */
export function sleep(ms: number, signal?: AbortSignal, timers: ClientTimers = realTimers): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      timers.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the
 * promise itself keeps running: used where several callers share one request).
 *
 * @example
 * const messages = await raceSignal(sharedPoll, signal);
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (reason) => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      },
    );
  });
}
