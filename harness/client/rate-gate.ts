import type { RateLimitStateEvent } from './hooks.js';
import { DEFAULT_RATE_LIMIT } from './options-schema.js';
import { parseRetryAfter, type ResponseHeaders, readHeader, readHeaderInt } from './rate-limit-headers.js';
import { type ClientTimers, realTimers, type TimerHandle } from './timers.js';

/**
 * The server's word on the key's rate limit, kept in sync from every response, and the gate
 * every attempt passes right before it goes on the wire.
 *
 * - `X-RateLimit-Remaining`/`-Reset`: the gate counts its own dispatches against the
 *   remaining budget and, when it is spent, holds new attempts until the reset. The count is
 *   conservative: a response's `remaining` is lowered by the attempts still in flight, since
 *   the server may not have counted them yet.
 * - A 429 pauses the whole key until `Retry-After` (seconds or HTTP date) or, without it,
 *   `X-RateLimit-Reset`; with neither, for `fallbackPauseMs`.
 * - After a reset the gate assumes a fresh window of the last announced `limit` (less the
 *   attempts in flight, which may land in it), and learns the new window from the next response.
 *
 * The bottleneck limiter in front of it handles concurrency and the client's own budgets;
 * the gate handles what the server says. It has no timers of its own on the fast path.
 */

export interface RateGateOptions {
  /** Added to every server-announced reset before sending again, for clock skew, ms. Default 50. */
  clockMarginMs?: number;
  /** Pause after a 429 that carried neither `Retry-After` nor `X-RateLimit-Reset`, ms. Default 1_000. */
  fallbackPauseMs?: number;
  /** Clock, ms. Default `timers.now`. */
  now?: () => number;
  /** Timers for the wake-up at the next reset. Default {@link realTimers}. */
  timers?: ClientTimers;
  /** Called whenever the gate's view changes. */
  onState?: (event: RateLimitStateEvent) => void;
  /** Called when a local 429 pauses the key (for broadcasting to other processes). */
  onPause?: (untilMs: number) => void;
}

export interface RateGate {
  /**
   * Claims a dispatch. Returns 0 when the attempt may go now (and counts it as in flight);
   * otherwise the time (ms since epoch) to try again, or `Infinity` when the gate waits for
   * in-flight responses to learn the new window.
   */
  tryAcquire(): number;
  /** Feeds a response back (status and headers) and releases the in-flight claim. */
  observe(status: number, headers: ResponseHeaders, receivedAtMs: number): void;
  /** Releases the in-flight claim of an attempt that got no response. */
  abandon(): void;
  /** Pauses the whole key until `untilMs` (a 429 seen by another process). */
  pause(untilMs: number): void;
  /**
   * Resolves at `atMs`, or earlier when the gate's state changes or `signal` aborts, so the
   * caller re-checks with {@link tryAcquire}.
   */
  waitForChange(atMs: number, signal?: AbortSignal): Promise<void>;
  /** The current view. */
  state(): RateLimitStateEvent;
  /** Wakes every waiter; later waits resolve at once. */
  close(): void;
}

/**
 * Creates a rate gate.
 *
 * @example
 * const gate = createRateGate({ clockMarginMs: 50 });
 * let readyAt;
 * while ((readyAt = gate.tryAcquire()) !== 0) await gate.waitForChange(readyAt);
 * const res = await send();
 * gate.observe(res.status, res.headers, Date.now());
 */
export function createRateGate(options: RateGateOptions = {}): RateGate {
  const marginMs = options.clockMarginMs ?? DEFAULT_RATE_LIMIT.clockMarginMs;
  const fallbackPauseMs = options.fallbackPauseMs ?? DEFAULT_RATE_LIMIT.fallbackPauseMs;
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (options.timers !== undefined ? () => timers.now() : Date.now);
  const onState = options.onState;
  const onPause = options.onPause;

  let limit: number | null = null;
  let remaining: number | null = null;
  let resetAtMs: number | null = null;
  let passedResetMs = 0;
  let pausedUntilMs = 0;
  let inFlight = 0;
  let closed = false;

  let waiters: (() => void)[] = [];
  let timer: TimerHandle | undefined;
  let timerAtMs = Number.POSITIVE_INFINITY;

  function snapshot(): RateLimitStateEvent {
    return { atMs: now(), limit, remaining, resetAtMs, pausedUntilMs };
  }

  function wakeAll(): void {
    if (waiters.length === 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  }

  function changed(): void {
    if (onState !== undefined) onState(snapshot());
    wakeAll();
  }

  function onTimer(): void {
    timer = undefined;
    timerAtMs = Number.POSITIVE_INFINITY;
    wakeAll();
  }

  function pauseUntil(untilMs: number, local: boolean): void {
    if (untilMs <= pausedUntilMs) return;
    pausedUntilMs = untilMs;
    if (local && onPause !== undefined) onPause(untilMs);
    changed();
  }

  return {
    tryAcquire() {
      if (closed) return 0;
      const t = now();
      if (pausedUntilMs > t) return pausedUntilMs;
      if (resetAtMs !== null && t >= resetAtMs + marginMs) {
        // The window we knew is over: assume a fresh one of the last announced size, less the
        // attempts still in flight (they may land in the new window).
        passedResetMs = resetAtMs;
        resetAtMs = null;
        remaining = limit === null ? null : limit - inFlight;
        if (onState !== undefined) onState(snapshot());
      }
      if (remaining !== null) {
        if (remaining <= 0) return resetAtMs !== null ? resetAtMs + marginMs : Number.POSITIVE_INFINITY;
        remaining--;
      }
      inFlight++;
      return 0;
    },

    observe(status, headers, receivedAtMs) {
      if (inFlight > 0) inFlight--;
      const announcedRemaining = readHeaderInt(headers, 'x-ratelimit-remaining');
      const announcedReset = readHeaderInt(headers, 'x-ratelimit-reset');
      const announcedLimit = readHeaderInt(headers, 'x-ratelimit-limit');
      let dirty = false;
      if (announcedLimit !== null && announcedLimit !== limit) {
        limit = announcedLimit;
        dirty = true;
      }
      if (announcedRemaining !== null && announcedReset !== null) {
        const reset = announcedReset * 1_000;
        // Responses from a window that is already over say nothing about the current one.
        if (reset > passedResetMs) {
          const estimate = announcedRemaining - inFlight;
          if (resetAtMs === null || reset > resetAtMs) {
            resetAtMs = reset;
            remaining = estimate;
            dirty = true;
          } else if (reset === resetAtMs && (remaining === null || estimate < remaining)) {
            remaining = estimate;
            dirty = true;
          }
        }
      } else if (inFlight === 0 && resetAtMs === null && remaining !== null && remaining <= 0) {
        // Nothing left to learn the new window from: forget the guess rather than stall.
        remaining = null;
        dirty = true;
      }
      if (status === 429) {
        const retryAfterAt = parseRetryAfter(readHeader(headers, 'retry-after'), receivedAtMs);
        const until =
          retryAfterAt ?? (announcedReset !== null ? announcedReset * 1_000 : receivedAtMs + fallbackPauseMs);
        // Retry-After first: the window we wait out ends when the server said to come back.
        resetAtMs = until;
        remaining = 0;
        pauseUntil(until + marginMs, true);
        return;
      }
      if (dirty) changed();
      else if (waiters.length > 0) wakeAll();
    },

    abandon() {
      if (inFlight > 0) inFlight--;
      if (inFlight === 0 && resetAtMs === null && remaining !== null && remaining <= 0) {
        remaining = null;
        changed();
      }
    },

    pause(untilMs) {
      pauseUntil(untilMs, false);
    },

    waitForChange(atMs, signal) {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          signal?.removeEventListener('abort', finish);
          resolve();
        };
        waiters.push(finish);
        if (signal !== undefined) {
          if (signal.aborted) return finish();
          signal.addEventListener('abort', finish, { once: true });
        }
        if (atMs < timerAtMs && Number.isFinite(atMs)) {
          if (timer !== undefined) timers.clearTimeout(timer);
          timerAtMs = atMs;
          timer = timers.setTimeout(onTimer, Math.max(0, atMs - now()));
        }
      });
    },

    state: snapshot,

    close() {
      closed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      wakeAll();
    },
  };
}
