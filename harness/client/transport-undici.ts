import { type Dispatcher, type Pool, util } from 'undici';
import { createCallerSignals } from './caller-signals.js';
import type { ResponseHeaders } from './rate-limit-headers.js';
import type { SmallSet } from './small-set.js';
import {
  type ResolvedTimeouts,
  sweepPeriodMs,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  toTransportError,
} from './transport.js';

/**
 * The fast transport: `pool.dispatch()` with a handler that collects the body into one
 * string, straight on the keep-alive pool. Cheaper than `undici.request` (no body stream),
 * and the attempt deadline costs no `AbortController` or timer per request: one sweep timer
 * per transport aborts attempts past their deadline (attempts start in deadline order, so it
 * stops at the first one still in time). Interceptors that patch `globalThis.fetch` (MSW,
 * nock) do not see this path; use the fetch transport there.
 */

const ATTEMPT_TIMEOUT = new Error('attempt deadline passed');

/**
 * One attempt on the wire: the undici dispatch handler and its settlement.
 *
 * It implements undici's original handler methods (`onConnect`, `onHeaders`, `onData`,
 * `onComplete`, `onError`), which its HTTP/1.1 client calls directly. A handler with the
 * newer `onRequestStart`/`onResponse*` methods is wrapped per request in two more objects,
 * and has its trailers parsed as well: measurable on a path that does nothing else
 * (`npm run bench -- client`). Both kinds are supported through undici 7 (package.json keeps
 * the major at 7).
 */
class Attempt implements Dispatcher.DispatchHandler {
  status = 0;
  headers: ResponseHeaders = NO_HEADERS;
  chunks: Buffer[] | null = null;
  first: Buffer | null = null;
  abortRequest: ((reason?: Error) => void) | null = null;
  pendingAbort: Error | null = null;
  timedOut = false;
  settled = false;
  /** The attempts of the caller's signal, this one among them, while it is on the wire. */
  callerAttempts: SmallSet<Attempt> | undefined = undefined;

  constructor(
    readonly request: TransportRequest,
    readonly deadlineMs: number,
    readonly transport: UndiciTransportState,
    readonly resolve: (response: TransportResponse) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  abort(reason: Error): void {
    if (this.abortRequest !== null) this.abortRequest(reason);
    else this.pendingAbort = reason;
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.pendingAbort !== null) abort(this.pendingAbort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx informational
    this.status = statusCode;
    const headers = util.parseHeaders(rawHeaders) as ResponseHeaders;
    this.headers = headers;
    if (this.request.onHeaders !== undefined) this.request.onHeaders(statusCode, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Most bodies come in one chunk: no array for them.
    if (this.first === null) this.first = chunk;
    else if (this.chunks === null) this.chunks = [this.first, chunk];
    else this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (!this.finish()) return;
    const body =
      this.chunks !== null
        ? Buffer.concat(this.chunks).toString()
        : this.first !== null
          ? this.first.toString()
          : '';
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onError(error: Error): void {
    if (!this.finish()) return;
    this.reject(toTransportError(error, this.request, this.timedOut, this.transport.timeouts));
  }

  /** Marks the attempt settled; false if it already was. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.transport.inFlight.delete(this);
    this.callerAttempts?.delete(this);
    return true;
  }
}

/** The headers of a response that had none (yet). */
const NO_HEADERS: ResponseHeaders = Object.freeze({});

interface UndiciTransportState {
  readonly timeouts: ResolvedTimeouts;
  readonly inFlight: Set<Attempt>;
}

/**
 * Creates the undici transport over `pool` (which it owns and closes).
 *
 * @example
 * const timeouts = resolveTimeouts();
 * const transport = createUndiciTransport(createPool(origin, {}, timeouts), timeouts);
 */
export function createUndiciTransport(pool: Pool, timeouts: ResolvedTimeouts): Transport {
  const state: UndiciTransportState = { timeouts, inFlight: new Set() };
  const callerSignals = createCallerSignals<Attempt>();
  const { inFlight } = state;
  const attemptTimeoutMs = timeouts.attemptTimeoutMs;
  const sweepMs = sweepPeriodMs(attemptTimeoutMs);
  let sweeper: NodeJS.Timeout | undefined;

  function sweep(): void {
    const now = Date.now();
    for (const attempt of inFlight) {
      if (attempt.deadlineMs > now) break; // later ones started later: same timeout, later deadline
      inFlight.delete(attempt);
      attempt.timedOut = true;
      attempt.abort(ATTEMPT_TIMEOUT);
    }
    callerSignals.sweep();
    if (inFlight.size === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  }

  function send(request: TransportRequest): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      const attempt = new Attempt(request, Date.now() + attemptTimeoutMs, state, resolve, reject);
      const signal = request.signal;
      if (signal !== undefined) {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        attempt.callerAttempts = callerSignals.add(signal, attempt);
      }
      inFlight.add(attempt);
      if (sweeper === undefined) {
        sweeper = setInterval(sweep, sweepMs);
        sweeper.unref();
      }
      pool.dispatch(
        { method: request.method, path: request.path, headers: request.headers, body: request.body },
        attempt,
      );
    });
  }

  return {
    name: 'undici',
    send,
    stats: () => {
      const s = pool.stats;
      return { connected: s.connected, running: s.running, pending: s.pending };
    },
    close: async () => {
      await pool.close();
      callerSignals.sweep();
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
    },
  };
}
