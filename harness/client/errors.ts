import { ERROR_CODES, HarnessError } from '../util/errors.js';

/**
 * The typed errors of the Nexus client. Each has a stable `code` and a type guard that works
 * across duplicate copies of the package (it checks the brand and the code, not `instanceof`).
 *
 * None of them ever holds the API key: messages are built from the method, the route and
 * the server's error body, and the body is passed through {@link redactSecret} first.
 */

/**
 * Stable codes of the client's errors (their entries in the one catalogue, `ERROR_CODES`).
 *
 * @example
 * if (HarnessError.is(err) && err.code === ClientErrorCode.rateLimited) retryLater();
 */
export const ClientErrorCode = {
  api: ERROR_CODES.clientApi,
  rateLimited: ERROR_CODES.clientRateLimited,
  timeout: ERROR_CODES.clientTimeout,
  network: ERROR_CODES.clientNetwork,
  validation: ERROR_CODES.clientValidation,
  queueFull: ERROR_CODES.clientQueueFull,
  closed: ERROR_CODES.clientClosed,
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * Whether the request may have reached the server: `no` only when that is provable
 * (the connection was never established), `maybe` otherwise. A `POST` that failed with
 * `maybe` may have taken effect.
 */
export type RequestSent = 'no' | 'maybe';

/**
 * The server answered with a status the operation cannot use (4xx other than 429, or a 5xx
 * that was not retried or ran out of attempts), or a body that is not the JSON it promised.
 *
 * @example
 * try { await client.getSession(id) } catch (err) {
 *   if (isNexusApiError(err) && err.status === 404) return null;
 *   throw err;
 * }
 */
export class NexusApiError extends HarnessError {
  /** HTTP status; 0 when a 2xx came back with a body that could not be parsed. */
  readonly status: number;
  /** The parsed error body (`{ statusCode, message, error }`) or the raw text, key redacted. */
  readonly body: unknown;
  /** e.g. `GET /thread/{id}`; never the full URL with ids or query. */
  readonly route: string;

  constructor(route: string, status: number, body: unknown, options?: { cause?: unknown; detail?: string }) {
    const serverMessage =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : undefined;
    const why =
      options?.detail ?? (serverMessage ? `status ${status}: ${serverMessage}` : `status ${status}`);
    super(ClientErrorCode.api, `Failed to ${route}: ${why}.`, options);
    this.status = status;
    this.body = body;
    this.route = route;
  }
}

/**
 * The key is rate-limited and the wait the server asked for is longer than the client may
 * wait (`retry.maxRateLimitWaitMs`), or 429s kept coming past `retry.maxRateLimitedAttempts`.
 * Rate limiting is its own category, not a failure of the server.
 *
 * @example
 * catch (err) { if (isRateLimitedError(err)) scheduleLater(err.resetAtMs) }
 */
export class RateLimitedError extends HarnessError {
  /** When the server said the key may send again (ms since epoch), `null` if it never said. */
  readonly resetAtMs: number | null;
  /** 429 when the server answered so, `null` when the client failed fast before sending. */
  readonly status: 429 | null;
  readonly route: string;

  constructor(route: string, resetAtMs: number | null, status: 429 | null, why: string) {
    // A hostile or broken reset header can name a time no Date holds (toISOString would throw
    // a RangeError in place of this error).
    const date = resetAtMs === null ? null : new Date(resetAtMs);
    const when =
      date === null
        ? 'unknown'
        : Number.isNaN(date.getTime())
          ? `${resetAtMs} ms since epoch`
          : date.toISOString();
    super(
      ClientErrorCode.rateLimited,
      `Failed to ${route}: rate-limited (${why}); the key may send again at ${when}. ` +
        'Retry after that time, or raise retry.maxRateLimitWaitMs.',
    );
    this.resetAtMs = resetAtMs;
    this.status = status;
    this.route = route;
  }
}

/** Where a timeout fired. `operation` and `reply` are the client's own budgets, the rest one attempt's. */
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'attempt' | 'reply';

/**
 * An attempt or a wait ran out of time.
 *
 * @example
 * catch (err) { if (isTimeoutError(err) && err.phase === 'reply') console.log('no reply yet') }
 */
export class TimeoutError extends HarnessError {
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;
  readonly requestSent: RequestSent;
  readonly route: string;

  constructor(route: string, phase: TimeoutPhase, timeoutMs: number, options?: { cause?: unknown }) {
    super(
      ClientErrorCode.timeout,
      `Failed to ${route}: ${phase} timeout after ${timeoutMs} ms. ` +
        'Check that the server is reachable and responsive, or raise the matching timeout option.',
      options,
    );
    this.phase = phase;
    this.timeoutMs = timeoutMs;
    this.requestSent = phase === 'connect' ? 'no' : 'maybe';
    this.route = route;
  }
}

/**
 * The connection failed: refused, reset, closed early, or the body was cut short.
 * `requestSent` tells whether the request may have reached the server.
 *
 * @example
 * catch (err) { if (isNetworkError(err) && err.requestSent === 'no') console.log('never sent') }
 */
export class NetworkError extends HarnessError {
  /** The system or undici error code, e.g. `ECONNRESET`, `UND_ERR_SOCKET`; `UNKNOWN` if none. */
  readonly errno: string;
  readonly requestSent: RequestSent;
  readonly route: string;

  constructor(route: string, errno: string, requestSent: RequestSent, options?: { cause?: unknown }) {
    const remedy =
      requestSent === 'no'
        ? 'The request was not sent; check the base URL and that the server is up.'
        : 'The request may have reached the server.';
    super(ClientErrorCode.network, `Failed to ${route}: network error ${errno}. ${remedy}`, options);
    this.errno = errno;
    this.requestSent = requestSent;
    this.route = route;
  }
}

/**
 * A call's input was rejected before anything was sent. (Invalid client *options* throw the
 * repo's `ConfigError`, which lists every problem at once.)
 *
 * @example
 * catch (err) { if (isValidationError(err)) console.log(err.field, err.message) }
 */
export class ValidationError extends HarnessError {
  /** The offending argument, e.g. `content` or `limit`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(ClientErrorCode.validation, message);
    this.field = field;
  }
}

/**
 * A bounded queue (the send batcher's or the rate limiter's) is full.
 *
 * @example
 * catch (err) { if (isQueueFullError(err)) await backOffAndRetryLater() }
 */
export class QueueFullError extends HarnessError {
  readonly capacity: number;

  constructor(what: string, capacity: number, option: string) {
    super(
      ClientErrorCode.queueFull,
      `Failed to queue ${what}: the queue already holds ${capacity} item(s). Slow down, or raise ${option}.`,
    );
    this.capacity = capacity;
  }
}

/**
 * The client was closed before or while the operation waited.
 *
 * @example
 * catch (err) { if (isClientClosedError(err)) return }
 */
export class ClientClosedError extends HarnessError {
  constructor(what: string) {
    super(ClientErrorCode.closed, `Failed to ${what}: the client is closed. Create a new client.`);
  }
}

function hasCode(value: unknown, code: ClientErrorCode): boolean {
  return HarnessError.is(value) && value.code === code;
}

/** True for a {@link NexusApiError} from any copy of the package. @example if (isNexusApiError(e)) e.status */
export const isNexusApiError = (value: unknown): value is NexusApiError =>
  hasCode(value, ClientErrorCode.api);
/** True for a {@link RateLimitedError}. @example if (isRateLimitedError(e)) e.resetAtMs */
export const isRateLimitedError = (value: unknown): value is RateLimitedError =>
  hasCode(value, ClientErrorCode.rateLimited);
/** True for a {@link TimeoutError}. @example if (isTimeoutError(e)) e.phase */
export const isTimeoutError = (value: unknown): value is TimeoutError =>
  hasCode(value, ClientErrorCode.timeout);
/** True for a {@link NetworkError}. @example if (isNetworkError(e)) e.requestSent */
export const isNetworkError = (value: unknown): value is NetworkError =>
  hasCode(value, ClientErrorCode.network);
/** True for a {@link ValidationError}. @example if (isValidationError(e)) e.field */
export const isValidationError = (value: unknown): value is ValidationError =>
  hasCode(value, ClientErrorCode.validation);
/** True for a {@link QueueFullError}. @example if (isQueueFullError(e)) e.capacity */
export const isQueueFullError = (value: unknown): value is QueueFullError =>
  hasCode(value, ClientErrorCode.queueFull);
/** True for a {@link ClientClosedError}. @example if (isClientClosedError(e)) return */
export const isClientClosedError = (value: unknown): value is ClientClosedError =>
  hasCode(value, ClientErrorCode.closed);

/**
 * Text put in place of a secret.
 *
 * @example
 * expect(error.message).not.toContain(apiKey); // it says [REDACTED] instead
 */
export const REDACTED = '[REDACTED]';

/**
 * Replaces every occurrence of `secret` in `text`. Used on anything that came from the wire
 * before it goes into an error, so a server echoing the key cannot leak it.
 *
 * @example
 * redactSecret('bad key abc123', 'abc123') // 'bad key [REDACTED]'
 */
export function redactSecret(text: string, secret: string): string {
  return secret.length > 0 && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}
