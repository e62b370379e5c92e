import type { Clock } from './types.js';

/** The real clock: `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to: for tests of expiry and rate windows that must not
 * wait for real time to pass.
 *
 * @example
 * const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const sim = createSimulator({}, { clock });
 * clock.advance(25 * 3_600_000); // a day later: threads have expired
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an absolute time, ms since epoch. */
  set(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `startMs` (default: the real time now). */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      if (!(ms >= 0))
        throw new RangeError(`Failed to advance the clock: ${ms} is not a non-negative number.`);
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}
