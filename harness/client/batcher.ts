import { ClientClosedError, QueueFullError } from './errors.js';
import { DEFAULT_BATCHING } from './options-schema.js';
import { type ClientTimers, realTimers, type TimerHandle } from './timers.js';

/**
 * A send batcher in the spirit of the guide's `MessageBatcher` (flush on size or on time),
 * fixed where that one goes wrong:
 * - items with the same key (the thread id) are processed strictly one after the other, in
 *   the order they were added, across batches, so a thread's messages keep their order;
 * - every item settles on its own: one failure rejects that item only;
 * - the queue is bounded: past `maxQueued` unsettled items, `add` rejects with `QueueFullError`;
 * - `close()` flushes what is buffered and waits until every item has settled.
 */

export interface BatcherOptions<T, R> {
  /** The ordering key of an item, e.g. its thread id. */
  keyOf(item: T): string;
  /** Processes one item. */
  process(item: T): Promise<R>;
  /** Flush as soon as this many items are buffered. Default 10. */
  maxBatchSize?: number;
  /** Flush this long after the first buffered item at the latest, ms. Default 20. */
  maxWaitMs?: number;
  /** Items accepted and not yet settled before `add` refuses more. Default 1_000. */
  maxQueued?: number;
  /** What the items are, for error messages. Default `a message`. */
  what?: string;
  /** Timers for the `maxWaitMs` flush. Default {@link realTimers}. */
  timers?: ClientTimers;
}

export interface Batcher<T, R> {
  /** Queues an item; resolves or rejects with that item's own outcome. */
  add(item: T): Promise<R>;
  /** Releases the buffered items now. */
  flush(): void;
  /** Items accepted and not yet settled. */
  size(): number;
  /** Flushes, refuses new items, and resolves when every accepted item has settled. */
  close(): Promise<void>;
}

interface Entry<T, R> {
  item: T;
  resolve(value: R): void;
  reject(reason: unknown): void;
}

const settledPromise: Promise<void> = Promise.resolve();
const ignore = (): void => {};

/**
 * Creates a batcher.
 *
 * @example
 * const sends = createBatcher({
 *   keyOf: (m: { threadId: string; content: string }) => m.threadId,
 *   process: (m) => api.sendMessage(m.threadId, m.content),
 * });
 * await Promise.allSettled([sends.add({ threadId: 'a', content: 'one' }), sends.add({ threadId: 'a', content: 'two' })]);
 */
export function createBatcher<T, R>(options: BatcherOptions<T, R>): Batcher<T, R> {
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_BATCHING.maxBatchSize;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_BATCHING.maxWaitMs;
  const maxQueued = options.maxQueued ?? DEFAULT_BATCHING.maxQueued;
  const what = options.what ?? 'a message';
  const { keyOf, process } = options;
  const timers = options.timers ?? realTimers;

  let buffer: Entry<T, R>[] = [];
  let timer: TimerHandle | undefined;
  let unsettled = 0;
  let closed = false;
  let onDrained: (() => void) | undefined;
  /** The last item's settlement per key: the next item of that key starts after it. */
  const tails = new Map<string, Promise<void>>();

  function settleOne(): void {
    unsettled--;
    if (unsettled === 0 && onDrained !== undefined) onDrained();
  }

  function start(entry: Entry<T, R>): void {
    const key = keyOf(entry.item);
    const previous = tails.get(key) ?? settledPromise;
    const run = previous.then(() => process(entry.item));
    const tail = run.then(ignore, ignore);
    tails.set(key, tail);
    run.then(
      (value) => {
        settleOne();
        entry.resolve(value);
      },
      (reason) => {
        settleOne();
        entry.reject(reason);
      },
    );
    tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
  }

  function flush(): void {
    if (timer !== undefined) {
      timers.clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    for (const entry of batch) start(entry);
  }

  return {
    add(item) {
      if (closed) return Promise.reject(new ClientClosedError(`queue ${what}`));
      if (unsettled >= maxQueued)
        return Promise.reject(new QueueFullError(what, maxQueued, 'batching.maxQueued'));
      return new Promise<R>((resolve, reject) => {
        unsettled++;
        buffer.push({ item, resolve, reject });
        if (buffer.length >= maxBatchSize) flush();
        else if (timer === undefined) timer = timers.setTimeout(flush, maxWaitMs);
      });
    },
    flush,
    size: () => unsettled,
    close() {
      closed = true;
      flush();
      if (unsettled === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onDrained = resolve;
      });
    },
  };
}
