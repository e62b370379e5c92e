import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { UsageError } from '../../harness/util/errors.js';
import { errorBody, reasonPhrase } from '../core/error-body.js';
import { sendJsonError } from './send-response.js';

/**
 * The HTTP face's resource bounds. Node's own defaults cut stalled headers only after 60 s
 * (checked every 30 s) and stalled bodies after 300 s, and accept any number of connections
 * and pipelined requests; the mock sets each explicitly.
 *
 * @example
 * await startMockServer({ http: { headersTimeoutMs: 5_000, maxConnections: 20_000 } });
 */
export interface HttpLimits {
  /** Time a client has to send a request's headers, ms. Past it: a JSON 408 and close. Default 10 000. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request (headers and body), ms. Default 30 000. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept, ms. Default 5 000 (Node's). */
  keepAliveTimeoutMs: number;
  /**
   * Open connections at most. One more gets a JSON 503 and is closed (counted in
   * `stats().refusedConnections`). Default 10 000: the harness's own load runs hold thousands of
   * keep-alive connections to the mock, and each costs a file descriptor.
   */
  maxConnections: number;
  /**
   * Requests one connection may have waiting for their responses (HTTP pipelining). One more
   * gets a JSON 503 without reaching the simulator, and the connection closes after it.
   * Default 128 (the harness never pipelines; autocannon may).
   */
  maxPipelinedRequests: number;
}

/**
 * The defaults of {@link HttpLimits}.
 *
 * @example
 * HTTP_LIMIT_DEFAULTS.headersTimeoutMs; // 10_000
 */
export const HTTP_LIMIT_DEFAULTS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  maxPipelinedRequests: 128,
});

/** How often Node checks the header and request timeouts, ms at most (its own default is 30 s). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Fills in the defaults and checks the bounds: each a positive integer, and the header timeout
 * no longer than the request timeout (Node requires it). Throws a usage error naming every bad field.
 *
 * @example
 * resolveHttpLimits({ maxConnections: 50 }).headersTimeoutMs; // 10_000
 */
export function resolveHttpLimits(input: Partial<HttpLimits> = {}): HttpLimits {
  const limits: HttpLimits = { ...HTTP_LIMIT_DEFAULTS };
  for (const [name, value] of Object.entries(input) as [keyof HttpLimits, number | undefined][]) {
    if (value !== undefined) limits[name] = value;
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1)
      problems.push(`${name} must be a positive integer (got ${value})`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(
      `headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`,
    );
  }
  if (problems.length > 0) {
    throw new UsageError(`Failed to start the mock: invalid HTTP limits: ${problems.join('; ')}.`);
  }
  return limits;
}

/** Counters of what the connection bounds refused, since the server started. */
export interface ConnectionStats {
  /** Connections open now. */
  openConnections: number;
  /** Connections refused (JSON 503, then closed) because `maxConnections` were open. */
  refusedConnections: number;
  /** Requests refused (JSON 503) because `maxPipelinedRequests` were already waiting on their connection. */
  refusedPipelined: number;
}

/** A whole raw response with the API's error body, for sockets that never reach a ServerResponse. */
export function rawJsonResponse(status: number, message: string): string {
  const body = errorBody(status, message);
  return (
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

interface SocketState {
  /** Requests received on this connection whose responses have not finished. */
  waiting: Set<IncomingMessage>;
  /** Runs once no fully received request is left in `waiting` (a deferred answer to garbage). */
  whenIdle: (() => void) | null;
}

/** True while a request that arrived whole still waits for its response. */
function answersPending(state: SocketState): boolean {
  for (const req of state.waiting) if (req.complete) return true;
  return false;
}

/**
 * Counts connections and the requests waiting on each, enforces `maxConnections` and
 * `maxPipelinedRequests`, and lets a late answer (a 400 for garbage that followed valid
 * pipelined requests) wait until the responses before it are out.
 */
export class ConnectionTracker {
  private open = 0;
  private refusedConnections = 0;
  private refusedPipelined = 0;
  private readonly sockets = new WeakMap<Socket, SocketState>();
  private readonly refusal: string;

  constructor(private readonly limits: HttpLimits) {
    this.refusal = rawJsonResponse(
      503,
      `Too many connections: this mock serves at most ${limits.maxConnections} at once. Close idle ones, or start it with a higher maxConnections.`,
    );
  }

  /** The server's `connection` listener. */
  readonly onConnection = (socket: Socket): void => {
    if (this.open >= this.limits.maxConnections) {
      this.refusedConnections++;
      // Answer and close; no request on it reaches the simulator (see admit). A client that
      // neither reads nor closes is cut after a second of silence.
      socket.end(this.refusal);
      socket.setTimeout(1_000, () => socket.destroy());
      return;
    }
    this.open++;
    this.sockets.set(socket, { waiting: new Set(), whenIdle: null });
    socket.once('close', () => this.open--);
  };

  /**
   * Called for every request before it is served: true to serve it; false when it was refused
   * here (a connection over the cap, or one pipelined request too many), already answered.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const state = this.sockets.get(req.socket);
    // A refused connection (already answered 503 and ended): never serve what it sent.
    if (state === undefined) return false;
    if (state.waiting.size >= this.limits.maxPipelinedRequests) {
      this.refusedPipelined++;
      sendJsonError(
        res,
        503,
        `Too many pipelined requests: at most ${this.limits.maxPipelinedRequests} may wait for their responses on one connection. Wait for responses before sending more.`,
      );
      return false;
    }
    state.waiting.add(req);
    res.once('close', () => {
      state.waiting.delete(req);
      if (state.whenIdle !== null && !answersPending(state)) {
        const next = state.whenIdle;
        state.whenIdle = null;
        next();
      }
    });
    return true;
  }

  /**
   * Runs `fn` once the responses to every request that arrived whole on `socket` have finished
   * (at once if none). A request cut off mid-way (the one the garbage was in) is not waited for.
   */
  afterPending(socket: Socket, fn: () => void): void {
    const state = this.sockets.get(socket);
    if (state === undefined || !answersPending(state)) fn();
    else state.whenIdle = fn;
  }

  stats(): ConnectionStats {
    return {
      openConnections: this.open,
      refusedConnections: this.refusedConnections,
      refusedPipelined: this.refusedPipelined,
    };
  }
}
