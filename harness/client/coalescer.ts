/**
 * Single-flight: concurrent calls with the same key share one execution. Used for polls
 * (`listMessages` with the same thread and query): ten waiters on one thread make one request.
 */

export interface Coalescer<V> {
  /** Runs `task` unless a call with `key` is already in flight, whose promise is shared instead. */
  run(key: string, task: () => Promise<V>): Promise<V>;
  /** Keys in flight. */
  size(): number;
}

/**
 * Creates a coalescer.
 *
 * @example
 * const polls = createCoalescer<Message[]>();
 * const [a, b] = await Promise.all([polls.run('t1?after=m3', list), polls.run('t1?after=m3', list)]); // one request
 */
export function createCoalescer<V>(): Coalescer<V> {
  const inFlight = new Map<string, Promise<V>>();
  return {
    run(key, task) {
      const existing = inFlight.get(key);
      if (existing !== undefined) return existing;
      const promise = task();
      inFlight.set(key, promise);
      const forget = () => {
        if (inFlight.get(key) === promise) inFlight.delete(key);
      };
      promise.then(forget, forget);
      return promise;
    },
    size: () => inFlight.size,
  };
}
