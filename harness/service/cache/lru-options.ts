/**
 * What the in-memory stores (the cache and the session repository) give lru-cache: a checked
 * size bound and, when a test passes one, its clock.
 */

/** The clock TTLs are measured on, ms. */
export interface StoreClock {
  now(): number;
}

/**
 * lru-cache options for an in-memory store: `max` checked (a positive integer, else a
 * TypeError naming `field` and the value; lru-cache would take 0 for "no bound"), and with a
 * clock, that clock read at every call (no 1 ms caching of "now").
 *
 * @example
 * new LRUCache<string, string>({ ...lruOptions('in-memory cache', 'maxEntries', 10_000, clock), ttl: 1_000 });
 */
export function lruOptions(
  what: string,
  field: string,
  max: number,
  clock?: StoreClock,
): { max: number; perf?: StoreClock; ttlResolution?: number } {
  checkPositiveInteger(what, field, max);
  return clock ? { max, perf: offByOne(clock), ttlResolution: 0 } : { max };
}

/**
 * Throws a TypeError naming the option and its value unless it is a positive safe integer.
 *
 * @example
 * checkPositiveInteger('in-memory session repository', 'ttlMs', 0); // throws: ttlMs must be a positive integer, got 0
 */
export function checkPositiveInteger(what: string, field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `Failed to make the ${what}: ${field} must be a positive integer, got ${
        typeof value === 'number' ? String(value) : JSON.stringify(value)
      }.`,
    );
  }
}

/**
 * The clock one ms on: lru-cache takes an entry stored at time 0 for one with no start, which
 * never expires, and fake clocks start at 0. Only differences count, so the offset changes nothing else.
 */
function offByOne(clock: StoreClock): StoreClock {
  return { now: () => clock.now() + 1 };
}
