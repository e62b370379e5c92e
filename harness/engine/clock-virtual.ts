import type { EngineClock } from './types.js';

interface Timer {
  atMs: number;
  seq: number;
  resolve: () => void;
  done: boolean;
}

/**
 * An {@link EngineClock} whose time only moves when everything is waiting on it.
 *
 * @example
 * const clock = createVirtualClock();
 * void clock.sleepUntil(100);
 * clock.pendingSleeps // 1
 */
export interface VirtualClock extends EngineClock {
  /** Sleeps registered and not yet resolved or aborted. */
  readonly pendingSleeps: number;
  /** Timers resolved so far (each wake-up of a sleeper counts once). */
  readonly wakeUps: number;
}

/**
 * A deterministic clock for tests. Time starts at `startMs` and stands still while any code
 * can still run; once the process is idle (checked with `setImmediate`, i.e. after every
 * pending promise callback ran), it jumps to the earliest pending `sleepUntil` and wakes that
 * one sleeper, lets its consequences settle, then the next. Sleepers due at the same time
 * wake in the order they went to sleep. Tests on it are exact and take no wall time.
 *
 * Everything under test must wait on this clock (or on promises it settles): code that waits
 * on real timers or real I/O is not "waiting" as far as the clock can tell. A loop that never
 * sleeps on the clock keeps virtual time still.
 *
 * @example
 * const clock = createVirtualClock();
 * await clock.sleepUntil(5_000); // returns at once in wall time
 * clock.now(); // 5000
 */
export function createVirtualClock(startMs = 0): VirtualClock {
  let now = startMs;
  let seq = 0;
  let pending = 0;
  let wakeUps = 0;
  let scheduled = false;
  const heap: Timer[] = [];

  const before = (a: Timer, b: Timer) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  const push = (t: Timer) => {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Timer, heap[parent] as Timer)) break;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
      i = parent;
    }
  };
  const pop = (): Timer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Timer, heap[m] as Timer)) m = l;
        if (r < heap.length && before(heap[r] as Timer, heap[m] as Timer)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Timer, heap[i] as Timer];
        i = m;
      }
    }
    return top;
  };

  const step = () => {
    scheduled = false;
    let timer = pop();
    while (timer?.done) timer = pop();
    if (timer === undefined) return;
    if (timer.atMs > now) now = timer.atMs;
    timer.done = true;
    pending--;
    wakeUps++;
    timer.resolve();
    schedule();
  };
  const schedule = () => {
    if (!scheduled && pending > 0) {
      scheduled = true;
      setImmediate(step);
    }
  };

  return {
    now: () => now,
    sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer: Timer = { atMs, seq: seq++, done: false, resolve };
        if (signal) {
          const onAbort = () => {
            if (timer.done) return;
            timer.done = true;
            pending--;
            resolve();
          };
          signal.addEventListener('abort', onAbort, { once: true });
          timer.resolve = () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
        }
        pending++;
        push(timer);
        schedule();
      });
    },
    get pendingSleeps() {
      return pending;
    },
    get wakeUps() {
      return wakeUps;
    },
  };
}
