/**
 * Reading the server's rate-limit signals: `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
 * `X-RateLimit-Reset` (Unix time in seconds) and `Retry-After` (delta seconds or an HTTP date,
 * RFC 9110 §10.2.3).
 */

/** Response headers as the transports hand them over: lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads one header's (first) value.
 *
 * @example
 * readHeader(res.headers, 'retry-after') // '2'
 */
export function readHeader(headers: ResponseHeaders, name: string): string | undefined {
  return first(headers[name]);
}

/**
 * Reads one header as a non-negative integer; `null` when absent or not an integer.
 *
 * @example
 * readHeaderInt(res.headers, 'x-ratelimit-remaining') // 7
 */
export function readHeaderInt(headers: ResponseHeaders, name: string): number | null {
  return parseNonNegativeInt(first(headers[name]));
}

function parseNonNegativeInt(text: string | undefined): number | null {
  if (text === undefined) return null;
  // Hot path (three headers per response): a char loop, no regex, no trim allocation.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  if (end === start || end - start > 16) return null;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses a `Retry-After` value into the time (ms since epoch) when the client may send again.
 * Delta seconds count from `receivedAtMs`; an HTTP date is absolute. Returns `null` for
 * anything else (a negative number, a fraction, garbage).
 *
 * @example
 * parseRetryAfter('2', 1_000) // 3_000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', 0) // 1445412480000
 */
export function parseRetryAfter(value: string | undefined, receivedAtMs: number): number | null {
  if (value === undefined) return null;
  const seconds = parseNonNegativeInt(value);
  if (seconds !== null) return receivedAtMs + seconds * 1_000;
  const trimmed = value.trim();
  // An HTTP date always names a weekday and "GMT"; refuse the looser formats Date.parse accepts.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : at;
}

/** The rate-limit state one response announced. Fields are `null` when the header was absent or invalid. */
export interface RateLimitHeaders {
  limit: number | null;
  remaining: number | null;
  /** `X-RateLimit-Reset` converted to ms since epoch. */
  resetAtMs: number | null;
  /** `Retry-After` converted to ms since epoch. */
  retryAfterAtMs: number | null;
}

/**
 * Reads all four headers at once.
 *
 * @example
 * const state = readRateLimitHeaders(res.headers, Date.now());
 * if (state.remaining === 0) waitUntil(state.resetAtMs);
 */
export function readRateLimitHeaders(headers: ResponseHeaders, receivedAtMs: number): RateLimitHeaders {
  const reset = parseNonNegativeInt(first(headers['x-ratelimit-reset']));
  return {
    limit: parseNonNegativeInt(first(headers['x-ratelimit-limit'])),
    remaining: parseNonNegativeInt(first(headers['x-ratelimit-remaining'])),
    resetAtMs: reset === null ? null : reset * 1_000,
    retryAfterAtMs: parseRetryAfter(first(headers['retry-after']), receivedAtMs),
  };
}
