import { NetworkError, type RequestSent, TimeoutError } from './errors.js';
import { DEFAULT_TIMEOUTS } from './options-schema.js';
import type { ResponseHeaders } from './rate-limit-headers.js';

/**
 * The transport contract: send one attempt, hand back status, headers and the whole body as
 * text, or throw a typed error ({@link NetworkError}, {@link TimeoutError}) or the caller's
 * abort reason. Transports know nothing of retries, limits or the Nexus API.
 */

/** One request, built once per operation and reused by each of its attempts. */
export interface TransportRequest {
  method: 'GET' | 'POST';
  /** Path and query on the origin, e.g. `/api/public/thread/abc/messages?limit=20`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string | undefined;
  /** The caller's signal; aborting it aborts the attempt. */
  signal: AbortSignal | undefined;
  /** For error messages: `GET /thread/{id}`, never a URL with ids. */
  route: string;
  /**
   * Called once per attempt when status and headers arrived, before the body is read; as a
   * method of the request (`request.onHeaders(…)`), so the client's request object can carry it
   * on its prototype instead of making a closure per call.
   */
  onHeaders: ((status: number, headers: ResponseHeaders) => void) | undefined;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: ResponseHeaders;
  body: string;
}

/** Connection counts, for tests and reports. */
export interface TransportStats {
  /** Open sockets. */
  connected: number;
  /** Requests on the wire. */
  running: number;
  /** Requests waiting for a socket. */
  pending: number;
}

export interface Transport {
  /** `undici` (undici.request on the pool), `fetch` (`globalThis.fetch`), or `auto`. */
  readonly name: string;
  send(request: TransportRequest): Promise<TransportResponse>;
  stats(): TransportStats;
  /** Waits for requests on the wire, then closes every socket. */
  close(): Promise<void>;
}

/** Timeouts shared by both transports. */
export interface TransportTimeouts {
  /** TCP connect, ms. Default 5_000. */
  connectTimeoutMs?: number;
  /** From request sent to response headers, ms. Default 15_000. */
  headersTimeoutMs?: number;
  /** Longest silence while receiving the body, ms. Default 15_000. */
  bodyTimeoutMs?: number;
  /** Whole attempt, connect to last body byte, ms. Default 30_000. */
  attemptTimeoutMs?: number;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
]);

function findCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns whatever the HTTP stack threw into the client's typed errors. The caller's abort
 * reason passes through unchanged; `timedOut` (the attempt deadline fired) becomes an
 * `attempt` timeout.
 *
 * @example
 * try { ... } catch (err) { throw toTransportError(err, request, deadline.timedOut, timeouts) }
 */
export function toTransportError(
  err: unknown,
  request: TransportRequest,
  timedOut: boolean,
  timeouts: ResolvedTimeouts,
): unknown {
  if (request.signal?.aborted) return request.signal.reason;
  if (timedOut) return new TimeoutError(request.route, 'attempt', timeouts.attemptTimeoutMs, { cause: err });
  const code = findCode(err);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError(request.route, 'connect', timeouts.connectTimeoutMs, { cause: err });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError(request.route, 'headers', timeouts.headersTimeoutMs, { cause: err });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(request.route, 'body', timeouts.bodyTimeoutMs, { cause: err });
  }
  const sent: RequestSent = code !== undefined && NOT_SENT_CODES.has(code) ? 'no' : 'maybe';
  return new NetworkError(request.route, code ?? 'UNKNOWN', sent, { cause: err });
}

/**
 * The overall deadline of one attempt as an `AbortSignal`: a timer that aborts it, linked to
 * the caller's signal. One per attempt; `dispose()` it when the attempt ends. Used by the
 * fetch transport, which takes only a signal; the undici transport has a cheaper sweep.
 *
 * @example
 * const deadline = new AttemptDeadline(30_000, callerSignal);
 * try { await fetch(url, { signal: deadline.signal }) } finally { deadline.dispose() }
 */
export class AttemptDeadline {
  readonly controller = new AbortController();
  timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    this.callerSignal = callerSignal;
    if (callerSignal !== undefined) {
      const forward = () => this.controller.abort(callerSignal.reason);
      this.onCallerAbort = forward;
      if (callerSignal.aborted) forward();
      else callerSignal.addEventListener('abort', forward, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort !== undefined) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/** Resolved timeouts, ms. */
/**
 * The period of a transport's timeout sweep, which bounds how late a timeout fires: a tenth of
 * the shortest timeout it checks, 5–250 ms.
 *
 * @example
 * setInterval(sweep, sweepPeriodMs(timeouts.attemptTimeoutMs)); // 30 s → every 250 ms
 */
export function sweepPeriodMs(shortestTimeoutMs: number): number {
  return Math.min(250, Math.max(5, Math.floor(shortestTimeoutMs / 10)));
}

export interface ResolvedTimeouts {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  attemptTimeoutMs: number;
}

/**
 * Applies the timeout defaults once.
 *
 * @example
 * resolveTimeouts({ attemptTimeoutMs: 2_000 }).connectTimeoutMs // 5_000
 */
export function resolveTimeouts(options: TransportTimeouts = {}): ResolvedTimeouts {
  return {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_TIMEOUTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_TIMEOUTS.bodyTimeoutMs,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_TIMEOUTS.attemptTimeoutMs,
  };
}

/**
 * Starts an attempt's deadline with the resolved timeouts.
 *
 * @example
 * const deadline = startDeadline(timeouts, request.signal);
 * try { ... } finally { deadline.dispose() }
 */
export function startDeadline(timeouts: ResolvedTimeouts, signal: AbortSignal | undefined): AttemptDeadline {
  return new AttemptDeadline(timeouts.attemptTimeoutMs, signal);
}
