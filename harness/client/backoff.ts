/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): the n-th retry waits a uniformly random time in `[0, min(capMs, baseMs·2^(n-1)))`.
 * Full jitter spreads a crowd of retrying clients evenly instead of in synchronised waves.
 */

import { DEFAULT_BACKOFF } from './options-schema.js';

/** A source of uniform random numbers in `[0, 1)`. Inject a seeded one in tests. */
export type RandomSource = () => number;

export interface BackoffOptions {
  /** Upper bound of the first retry's delay, ms. Default 100. */
  baseMs?: number;
  /** No delay exceeds this, ms. Default 10_000. */
  capMs?: number;
  /** Random source in `[0, 1)`. Default `Math.random`. */
  random?: RandomSource;
}

/** An immutable backoff schedule. */
export interface Backoff {
  /** The ceiling of the `retry`-th retry's delay (1-based), before jitter, ms. */
  ceilingMs(retry: number): number;
  /** A jittered delay for the `retry`-th retry (1-based), ms, in `[0, ceilingMs(retry))`. */
  delayMs(retry: number): number;
}

/**
 * Creates a full-jitter exponential backoff. Trusts its options (0 < baseMs ≤ capMs): the
 * client validated them through `clientSettingsSchema`.
 *
 * @example
 * const backoff = createBackoff({ baseMs: 100, capMs: 5_000 });
 * await sleep(backoff.delayMs(attempt)); // 0–100 ms, then 0–200 ms, 0–400 ms, … never over 5 s
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const capMs = options.capMs ?? DEFAULT_BACKOFF.capMs;
  const random = options.random ?? Math.random;
  // 2^exponent overflows to Infinity long after it passed the cap; clamp the exponent anyway.
  const ceilingMs = (retry: number): number =>
    Math.min(capMs, baseMs * 2 ** Math.min(Math.max(retry - 1, 0), 52));
  return {
    ceilingMs,
    delayMs: (retry) => Math.floor(random() * ceilingMs(retry)),
  };
}
