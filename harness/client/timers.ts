/**
 * The client's clock and timers, as one injectable object. Every wait of the client reads time
 * and sets timers through it: backoff and poll pauses, the rate gate's wake-up, the batcher's
 * `maxWaitMs`, the retry budget's window, `waitForReply` deadlines and the bounds of `close`.
 * Inject a virtual clock and a run that waits out a 30 s `Retry-After` takes no wall time.
 *
 * Every duration the client reports (`queueTimeMs`, an attempt's and an operation's
 * `durationMs`) is a difference of two `now()` readings, so the real clock is a monotonic,
 * high-resolution one: `performance.timeOrigin + performance.now()`, ms since the epoch with
 * sub-ms precision. `Date.now()` counts whole ms (a loopback request would read 0 or 1 ms)
 * and can step backwards. The epoch base keeps `Retry-After` dates and `X-RateLimit-Reset`
 * comparable; it is the wall clock as of the process's start, so a step of the system clock
 * during the run (not NTP's gradual slewing) is not followed.
 *
 * Two things stay on the real clock on purpose:
 * - the built-in transports' timeouts (connect, headers, body, whole attempt): they bound real
 *   I/O, undici's own timers cannot be injected, and a virtual clock that jumps while a socket
 *   is busy would time out attempts that are fine. A transport of your own owns its timeouts;
 * - bottleneck's budgets (`rateLimit.perMinute`/`perHour`, `spacing: 'even'`): bottleneck has
 *   no clock option. On a virtual clock use `rateLimit: false` or a concurrency cap only
 *   (`perMinute: false, perHour: false`); the server-synced rate gate follows the clock either way.
 */

/** What {@link ClientTimers.setTimeout} returns: any value but `undefined`. */
export type TimerHandle = unknown;

/**
 * A clock with timers. The client calls these as methods of the object.
 *
 * @example
 * const timers: ClientTimers = {
 *   now: () => fake.now,
 *   setTimeout: (callback, delayMs) => fake.schedule(callback, delayMs),
 *   clearTimeout: (handle) => fake.cancel(handle),
 * };
 * createNexusClient({ apiKey, transport, timers });
 */
export interface ClientTimers {
  /**
   * Current time, ms since the epoch (compared with `Retry-After` dates and `X-RateLimit-Reset`);
   * durations are differences of its readings, so it should not go backwards, and a fraction
   * of a ms is kept.
   */
  now(): number;
  /**
   * Calls `callback` once, `delayMs` ms from now. Returns a handle for `clearTimeout`, never
   * `undefined`; a handle with an `unref()` method (as Node's) is unref'd where the client must
   * not hold the process open (the bounds of `close`).
   */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** How far the sub-ms clock may drift from `Date.now()` before it is anchored to it again, ms. */
const MAX_DRIFT_MS = 10;
let anchorMs = Number.NaN;

/**
 * Ms since the epoch with sub-ms resolution: `performance.now()` (monotonic) plus an anchor to
 * the system clock, re-taken whenever the two drift more than {@link MAX_DRIFT_MS} apart. The
 * monotonic clock alone would drift from the wall clock over a long process (it is not
 * disciplined by NTP everywhere, and stops while a laptop sleeps), and the client compares
 * its readings with `Retry-After` dates and `X-RateLimit-Reset`; the system clock alone reads
 * whole ms. Re-anchoring also follows fake timers that move `Date` (vitest, sinon).
 */
function epochNowMs(): number {
  const mono = performance.now();
  const wall = Date.now();
  if (!(Math.abs(anchorMs + mono - wall) <= MAX_DRIFT_MS)) anchorMs = wall - mono;
  return anchorMs + mono;
}

/**
 * The real clock: {@link epochNowMs} (ms since the epoch, sub-ms, monotonic between re-anchors
 * to the system clock) and Node's timers, all looked up on every call so that fake timers
 * installed after the client was created still drive it.
 *
 * @example
 * const startMs = realTimers.now();
 * const timer = realTimers.setTimeout(() => console.log(`later: ${realTimers.now() - startMs} ms`), 100);
 * realTimers.clearTimeout(timer);
 */
export const realTimers: ClientTimers = Object.freeze({
  now: epochNowMs,
  setTimeout: (callback: () => void, delayMs: number): TimerHandle => setTimeout(callback, delayMs),
  clearTimeout: (handle: TimerHandle): void => clearTimeout(handle as NodeJS.Timeout),
});

/** A clock that sleeps until a point in time, as the engine's (`harness/engine/clock*.ts`). */
export interface SleepUntilClock {
  /** Current time, ms. */
  now(): number;
  /** Resolves at `atMs`, or when `signal` aborts (resolving, not rejecting, is fine). */
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Client timers over a clock that only knows `sleepUntil` (e.g. the engine's virtual clock). Its
 * `now()` must count ms since the epoch: start a virtual clock at a date, not at 0. Each timer
 * costs an `AbortController`: meant for tests and simulations, not for the real clock.
 *
 * @example
 * const clock = createVirtualClock(Date.UTC(2030, 0, 1));
 * const client = createNexusClient({ apiKey, transport, rateLimit: false, timers: timersFromClock(clock) });
 */
export function timersFromClock(clock: SleepUntilClock): ClientTimers {
  return {
    now: () => clock.now(),
    setTimeout(callback, delayMs) {
      const handle = new AbortController();
      clock.sleepUntil(clock.now() + Math.max(0, delayMs), handle.signal).then(() => {
        if (!handle.signal.aborted) callback();
      });
      return handle;
    },
    clearTimeout(handle) {
      if (handle instanceof AbortController) handle.abort();
    },
  };
}

/**
 * Resolves after `delayMs` on `timers` without holding the process open (the handle is unref'd
 * when it can be).
 *
 * @example
 * await Promise.race([settled, unrefDelay(realTimers, 5_000)]);
 */
export function unrefDelay(timers: ClientTimers, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const handle = timers.setTimeout(resolve, delayMs) as { unref?: () => unknown } | null;
    if (typeof handle?.unref === 'function') handle.unref();
  });
}
