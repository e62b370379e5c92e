import { performance } from 'node:perf_hooks';
import type { EngineClock } from './types.js';

/**
 * Options of {@link createRealClock}.
 *
 * @example
 * const clock = createRealClock({ spinMs: 0 });
 */
export interface RealClockOptions {
  /**
   * The last part of a sleep, in ms, spent yielding with `setImmediate` instead of a timer,
   * for sub-ms wake-up precision. Default `0`: timers only.
   *
   * Measured with `npm run bench -- scheduler` (constant-arrival-rate 2,000/s, no-op
   * iterations, 2-core machine shared with other work, load average 3–4): timers only gave
   * lateness p50 ≈ 0.6 ms, p99 3.5–24 ms (the spread is the machine's load), the exact rate
   * (ratio 1.000, nothing dropped) and ≈ 9–10 % of one core, mostly wake-up syscalls (the
   * main thread was 92 % idle in a CPU profile). `spinMs: 1` brought p50 down to ≈ 10 µs but
   * cost 50–86 % of a core, because at periods under 1 ms the loop never leaves the spin, and
   * its p99 was worse (10–57 ms): under load the spin competes with the work it schedules. So: timers only by default.
   * Latency is measured from the intended start anyway; timer lateness does not bias results.
   */
  spinMs?: number;
}

/**
 * The engine's wall clock: `performance.now()` (monotonic, ms with sub-ms precision) and
 * timer-based sleeps that never wake before `atMs`.
 *
 * `sleepUntil` resolves: at `atMs` or a little later (one Node timer tick, ~1 ms; see
 * {@link RealClockOptions.spinMs}); via `setImmediate` when `atMs` has passed (it still
 * yields to I/O, so a loop that is behind schedule does not starve the event loop); at once
 * when `signal` is aborted. It never rejects.
 *
 * @example
 * const clock = createRealClock();
 * const start = clock.now();
 * for (let i = 0; i < 10; i++) await clock.sleepUntil(start + i * 100); // no drift
 */
export function createRealClock(options: RealClockOptions = {}): EngineClock {
  const spinMs = options.spinMs ?? 0; // ms
  const now = () => performance.now();
  // Sleeps already due when asked (a closed-model VU yielding, a loop behind schedule) wake
  // together on one shared `setImmediate`: a queued resolve each, no timer, no abort listener.
  // An abort while one waits is seen when it wakes, within the same turn of the loop: it would
  // gain less than a turn. This is the hot path of every iteration.
  let due: Array<() => void> = [];
  let dueScheduled = false;
  const wakeDue = () => {
    const woken = due;
    due = [];
    dueScheduled = false;
    for (const resolve of woken) resolve();
  };
  const yieldOnce = (): Promise<void> =>
    new Promise<void>((resolve) => {
      due.push(resolve);
      if (!dueScheduled) {
        dueScheduled = true;
        setImmediate(wakeDue);
      }
    });
  return {
    now,
    sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.resolve();
      if (atMs - now() <= 0) return yieldOnce();
      return new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        let immediate: NodeJS.Immediate | undefined;
        const finish = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          if (timer !== undefined) clearTimeout(timer);
          if (immediate !== undefined) clearImmediate(immediate);
          resolve();
        };
        const check = () => {
          timer = undefined;
          immediate = undefined;
          const remaining = atMs - now();
          if (remaining <= 0) finish();
          else if (remaining <= spinMs) immediate = setImmediate(check);
          // Node timers fire on whole ms of the loop's cached time: possibly a little early
          // in performance.now() terms, so `check` runs again rather than trusting the timer.
          else timer = setTimeout(check, Math.max(1, Math.ceil(remaining - spinMs)));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        check();
      });
    },
  };
}
