import type { Dispatcher, Pool } from 'undici';
import type { ResponseHeaders } from './rate-limit-headers.js';
import {
  type ResolvedTimeouts,
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

/** One attempt on the wire: the undici dispatch handler and its settlement. */
class Attempt implements Dispatcher.DispatchHandler {
  status = 0;
  headers: ResponseHeaders = {};
  chunks: Buffer[] = [];
  controller: Dispatcher.DispatchController | null = null;
  pendingAbort: Error | null = null;
  timedOut = false;
  settled = false;
  onCallerAbort: (() => void) | undefined = undefined;

  constructor(
    readonly request: TransportRequest,
    readonly deadlineMs: number,
    readonly transport: UndiciTransportState,
    readonly resolve: (response: TransportResponse) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  abort(reason: Error): void {
    if (this.controller !== null) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort !== null) controller.abort(this.pendingAbort);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx informational
    this.status = statusCode;
    this.headers = headers;
    const onHeaders = this.request.onHeaders;
    if (onHeaders !== undefined) onHeaders(statusCode, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.finish()) return;
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.finish()) return;
    this.reject(toTransportError(error, this.request, this.timedOut, this.transport.timeouts));
  }

  /** Marks the attempt settled; false if it already was. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.transport.inFlight.delete(this);
    if (this.onCallerAbort !== undefined)
      this.request.signal?.removeEventListener('abort', this.onCallerAbort);
    return true;
  }
}

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
  const { inFlight } = state;
  const attemptTimeoutMs = timeouts.attemptTimeoutMs;
  // The sweep's period bounds how late an attempt deadline fires: a tenth of it, 5–250 ms.
  const sweepMs = Math.min(250, Math.max(5, Math.floor(attemptTimeoutMs / 10)));
  let sweeper: NodeJS.Timeout | undefined;

  function sweep(): void {
    const now = Date.now();
    for (const attempt of inFlight) {
      if (attempt.deadlineMs > now) break; // later ones started later: same timeout, later deadline
      inFlight.delete(attempt);
      attempt.timedOut = true;
      attempt.abort(ATTEMPT_TIMEOUT);
    }
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
        attempt.onCallerAbort = () => attempt.abort(signal.reason);
        signal.addEventListener('abort', attempt.onCallerAbort, { once: true });
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
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
    },
  };
}
