import {
  isClientClosedError,
  isNetworkError,
  isNexusApiError,
  isRateLimitedError,
  isTimeoutError,
  isValidationError,
} from '../client/errors.js';
import { isServiceError, isUserLimitError } from '../service/service-errors.js';

/**
 * What the chat app answers for a failed chat: the status, a JSON body of fixed words (never
 * an error's message, which could carry the upstream's text), and `Retry-After` for 429s.
 */
export interface HttpFailure {
  status: number;
  body: Record<string, unknown>;
  /** Seconds, rounded up; only on 429 (and 503 while closing). */
  retryAfterSeconds?: number;
  /** Which kind of 429, for the metrics. */
  rateLimited?: 'user' | 'upstream';
}

/** The longest Retry-After we send, s: a day, the longest window of ours (sessions a day) or the API's. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Whole seconds until `ms` from now, 1 to a day: at least 1 (a `Retry-After: 0` invites a hot
 * loop), and 1 for a reset that is not a number (a header must never read `NaN`).
 */
function seconds(ms: number): number {
  if (Number.isNaN(ms)) return 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

/** The upstream failure as a short reason, from its type and status only. */
function upstreamReason(cause: unknown): string {
  if (isNexusApiError(cause)) return cause.status === 0 ? 'bad response body' : `status ${cause.status}`;
  if (isTimeoutError(cause)) return `${cause.phase} timeout`;
  if (isNetworkError(cause)) return `network error ${cause.errno}`;
  if (cause instanceof Error && cause.name === 'TimeoutError') return 'request timeout';
  return 'upstream failure';
}

/**
 * Maps an error of the session service (or anything else) to the answer.
 *
 * @example
 * const failure = httpFailureOf(err, Date.now());
 * reply.code(failure.status).send(failure.body);
 */
export function httpFailureOf(err: unknown, nowMs: number): HttpFailure {
  if (isUserLimitError(err)) {
    const retryAfterSeconds = seconds(err.retryAfterMs);
    return {
      status: 429,
      body: { error: 'user_rate_limited', limit: err.limit, retryAfterSeconds },
      retryAfterSeconds,
      rateLimited: 'user',
    };
  }
  const cause = isServiceError(err) ? err.cause : err;
  if (isRateLimitedError(cause)) {
    // The server's word, passed on: its reset as the caller's Retry-After.
    const retryAfterSeconds = seconds(cause.resetAtMs === null ? 1_000 : cause.resetAtMs - nowMs);
    return {
      status: 429,
      body: { error: 'upstream_rate_limited', retryAfterSeconds },
      retryAfterSeconds,
      rateLimited: 'upstream',
    };
  }
  if (isValidationError(cause)) {
    return { status: 400, body: { error: 'invalid_message', problems: [{ field: cause.field }] } };
  }
  if (isClientClosedError(cause)) {
    return { status: 503, body: { error: 'shutting_down' }, retryAfterSeconds: 1 };
  }
  if (isServiceError(err)) {
    return { status: 502, body: { error: 'upstream_failed', reason: upstreamReason(cause) } };
  }
  return { status: 500, body: { error: 'internal_error' } };
}
