import { connect, type Socket } from 'node:net';
import { isLoopbackHost } from '../util/loopback.js';
import { createCallerSignals } from './caller-signals.js';
import { H1ResponseParser, type ResponseSink } from './h1-response-parser.js';
import { DEFAULT_POOL } from './options-schema.js';
import type { PoolOptions } from './pool.js';
import type { ResponseHeaders } from './rate-limit-headers.js';
import { SlotList } from './slot-list.js';
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
 * The lean transport for a plain-HTTP loopback origin (the harness's own mock, a service under
 * test on this machine): a keep-alive pool of `net` sockets, one request on each at a time,
 * the request written as one string and the response read by {@link H1ResponseParser} straight
 * from one read buffer the pool's sockets share (no per-read allocation, no readable stream).
 *
 * Why not undici here: on loopback the generator's own CPU per request is what limits it, and
 * undici's general machinery (request objects, header validation, llhttp callbacks across the
 * WebAssembly boundary, per-request timers) cost about 1.5× a plain socket client per request,
 * measured side by side against the mock. Remote and HTTPS origins keep undici, whose breadth
 * (TLS, proxies, HTTP/2-ready dispatchers) matters there and whose cost does not.
 *
 * Timeouts (connect, headers, body silence, the whole attempt) are checked by one sweep timer
 * per transport, never a timer per request; errors carry undici's codes so the one mapping
 * (`toTransportError`) classifies both transports alike: refused or unreachable is `not sent`,
 * anything after the request was written is `maybe sent`.
 */

/** A connection error, coded as undici codes them. */
class H1Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const CLOSED = 'the transport was closed';
/** The pool's read buffer, bytes: what one read of a socket takes at most (as libuv's default). */
const READ_BUFFER_BYTES = 64 * 1024;

/** One attempt: waiting for a connection, then on it. */
class Exchange implements ResponseSink {
  connection: Connection | null = null;
  settled = false;
  timedOut = false;
  status = 0;
  headers: ResponseHeaders = {};
  /** When the request was written (headers deadline), and when bytes last came (body silence). */
  sentAtMs = 0;
  lastDataAtMs = 0;
  gotHead = false;
  /** Index in the pool's attempts in flight. */
  slot = -1;
  callerAttempts: SmallSet<Exchange> | undefined = undefined;

  constructor(
    readonly request: TransportRequest,
    /** The request's header fields as written on the wire, `name: value\r\n` each. */
    readonly headerLines: string,
    readonly startedAtMs: number,
    readonly pool: H1Pool,
    readonly resolve: (response: TransportResponse) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  onHead(status: number, headers: ResponseHeaders): void {
    this.status = status;
    this.headers = headers;
    this.gotHead = true;
    if (this.request.onHeaders !== undefined) this.request.onHeaders(status, headers);
  }

  onComplete(body: string, keepAlive: boolean): void {
    const connection = this.connection!;
    if (!this.finish()) return;
    this.resolve({ status: this.status, headers: this.headers, body });
    connection.release(keepAlive);
  }

  /** Ends the attempt with `error` (mapped); the connection, if any, is not reusable. */
  fail(error: unknown): void {
    const connection = this.connection;
    if (!this.finish()) return;
    this.reject(toTransportError(error, this.request, this.timedOut, this.pool.timeouts));
    connection?.destroy();
  }

  /** Aborts the attempt: a caller's abort, or its deadline. */
  abort(reason: Error): void {
    if (this.connection === null) this.pool.unqueue(this);
    this.fail(reason);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.pool.inFlight.delete(this);
    this.callerAttempts?.delete(this);
    if (this.pool.inFlight.size === 0) this.pool.onDrained?.();
    return true;
  }
}

/** One keep-alive socket of the pool. */
class Connection {
  readonly socket: Socket;
  readonly parser = new H1ResponseParser();
  exchange: Exchange | null = null;
  connected = false;
  connectStartedAtMs: number;
  idleSinceMs = 0;
  destroyed = false;

  constructor(
    readonly pool: H1Pool,
    nowMs: number,
  ) {
    this.connectStartedAtMs = nowMs;
    this.socket = connect({
      host: pool.host,
      port: pool.port,
      noDelay: true,
      onread: { buffer: pool.readBuffer, callback: (length) => this.onRead(length) },
    });
    this.socket.on('connect', () => {
      this.connected = true;
      const exchange = this.exchange;
      if (exchange !== null) this.write(exchange, Date.now());
    });
    this.socket.on('error', (err) => this.lost(err));
    this.socket.on('close', () => this.lost(null));
  }

  /**
   * `length` bytes arrived in the pool's read buffer. They are parsed before this returns: the
   * next read of any socket of the pool overwrites them. Returns true (keep reading).
   */
  private onRead(length: number): boolean {
    const exchange = this.exchange;
    if (exchange === null) {
      this.destroy(); // bytes nobody asked for: the connection cannot be trusted
      return false;
    }
    try {
      this.parser.push(this.pool.readBuffer.subarray(0, length));
    } catch (err) {
      exchange.fail(err);
    }
    // Read only by the body-silence deadline of a response still coming: a response that
    // this chunk completed (the usual case) needs no clock reading.
    if (!exchange.settled) exchange.lastDataAtMs = Date.now();
    return true;
  }

  /** Runs `exchange` on this connection (connecting first if it is new); `nowMs` is now, `Date.now()`. */
  run(exchange: Exchange, nowMs: number): void {
    this.exchange = exchange;
    exchange.connection = this;
    if (this.connected) this.write(exchange, nowMs);
  }

  private write(exchange: Exchange, nowMs: number): void {
    const { request } = exchange;
    let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${this.pool.hostHeader}\r\n${exchange.headerLines}`;
    const body = request.body;
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    else head += '\r\n';
    this.parser.expect(exchange);
    exchange.sentAtMs = nowMs;
    this.socket.write(head);
  }

  /** The exchange ended well: the socket goes back to the pool, or is closed if it may not be reused. */
  release(keepAlive: boolean): void {
    this.exchange = null;
    if (!keepAlive || this.pool.closing) {
      this.destroy();
      return;
    }
    const nowMs = Date.now();
    this.idleSinceMs = nowMs;
    this.pool.idle(this, nowMs);
  }

  /** The socket errored or closed: the exchange on it (if any) fails, the pool forgets it. */
  private lost(err: Error | null): void {
    const exchange = this.exchange;
    if (exchange !== null && !exchange.settled) {
      // A body framed by the end of the connection completes here; anything else was cut short.
      if (!(err === null && this.parser.end())) {
        exchange.fail(
          err ??
            new H1Error(
              this.connected ? 'UND_ERR_SOCKET' : 'ECONNREFUSED',
              this.connected
                ? 'the server closed the connection before the response ended'
                : 'connection closed before it opened',
            ),
        );
      }
    }
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.exchange = null;
    this.socket.destroy();
    this.pool.forget(this);
  }
}

/** The pool's state, shared by its connections and exchanges. */
class H1Pool {
  readonly host: string;
  readonly port: number;
  readonly hostHeader: string;
  readonly maxConnections: number;
  readonly keepAliveMs: number;
  readonly inFlight = new SlotList<Exchange>();
  readonly connections = new Set<Connection>();
  readonly free: Connection[] = [];
  readonly queue: Exchange[] = [];
  readonly callerSignals = createCallerSignals<Exchange>();
  /**
   * Where every socket of the pool reads into (net's `onread`): one buffer, not a fresh one per
   * read, and no readable stream around it. Safe to share: a read's bytes are parsed before
   * the next read of any socket starts.
   */
  readonly readBuffer = Buffer.alloc(READ_BUFFER_BYTES);
  closing = false;
  /** Called when the last attempt in flight settles (for `close`). */
  onDrained: (() => void) | null = null;

  constructor(
    origin: URL,
    options: PoolOptions,
    readonly timeouts: ResolvedTimeouts,
  ) {
    this.host = origin.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(origin.port || 80);
    this.hostHeader = origin.host;
    this.maxConnections = options.connections ?? DEFAULT_POOL.connections;
    this.keepAliveMs = options.keepAliveTimeoutMs ?? DEFAULT_POOL.keepAliveTimeoutMs;
  }

  /** Starts `exchange` on a free connection, a new one, or queues it; `nowMs` is now, `Date.now()`. */
  dispatch(exchange: Exchange, nowMs: number): void {
    const free = this.free.pop();
    if (free !== undefined) free.run(exchange, nowMs);
    else if (this.connections.size < this.maxConnections) {
      const connection = new Connection(this, nowMs);
      this.connections.add(connection);
      connection.run(exchange, nowMs);
    } else this.queue.push(exchange);
  }

  idle(connection: Connection, nowMs: number): void {
    const next = this.queue.shift();
    if (next !== undefined) connection.run(next, nowMs);
    else this.free.push(connection);
  }

  forget(connection: Connection): void {
    this.connections.delete(connection);
    const i = this.free.indexOf(connection);
    if (i >= 0) this.free.splice(i, 1);
    // A queued exchange may now open a connection of its own.
    const next = this.queue.shift();
    if (next !== undefined && !this.closing) this.dispatch(next, Date.now());
    else if (next !== undefined) next.fail(new H1Error('UND_ERR_CLOSED', CLOSED));
  }

  unqueue(exchange: Exchange): void {
    const i = this.queue.indexOf(exchange);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** One pass of the timeouts: deadlines of attempts, connects, headers, body silence; idle sockets. */
  sweep(nowMs: number): void {
    const { attemptTimeoutMs, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = this.timeouts;
    // From the end: an attempt that fails here leaves the list, and the last one takes its index.
    // (One that fails another, a queued one while closing, may make the walk see one twice:
    // the checks are of deadlines, so a second look changes nothing.)
    const inFlight = this.inFlight.items;
    for (let i = inFlight.length - 1; i >= 0; i--) {
      const exchange = inFlight[i];
      if (exchange === undefined) continue;
      if (nowMs - exchange.startedAtMs >= attemptTimeoutMs) {
        exchange.timedOut = true;
        exchange.abort(ATTEMPT_TIMEOUT);
        continue;
      }
      const connection = exchange.connection;
      if (connection === null) continue;
      if (!connection.connected) {
        if (nowMs - connection.connectStartedAtMs >= connectTimeoutMs) {
          exchange.fail(new H1Error('UND_ERR_CONNECT_TIMEOUT', 'connect timeout'));
        }
      } else if (!exchange.gotHead) {
        if (exchange.sentAtMs > 0 && nowMs - exchange.sentAtMs >= headersTimeoutMs) {
          exchange.fail(new H1Error('UND_ERR_HEADERS_TIMEOUT', 'headers timeout'));
        }
      } else if (nowMs - exchange.lastDataAtMs >= bodyTimeoutMs) {
        exchange.fail(new H1Error('UND_ERR_BODY_TIMEOUT', 'body timeout'));
      }
    }
    this.callerSignals.sweep();
    for (let i = this.free.length - 1; i >= 0; i--) {
      const connection = this.free[i]!;
      if (nowMs - connection.idleSinceMs >= this.keepAliveMs) connection.destroy();
    }
  }
}

const ATTEMPT_TIMEOUT = new Error('attempt deadline passed');

/** True when `value` holds a CR or LF, which would let it write a header line of its own. */
function hasLineBreak(value: string): boolean {
  return value.indexOf('\n') !== -1 || value.indexOf('\r') !== -1;
}

/** True for an origin the lean transport serves: `http:` on a loopback host. */
export function isLoopbackHttp(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * Creates the lean HTTP/1.1 transport for `origin` (`http:` on loopback; see {@link isLoopbackHttp}).
 *
 * @example
 * const transport = createH1Transport('http://127.0.0.1:4010', { connections: 32 }, resolveTimeouts());
 * const res = await transport.send({ method: 'GET', path: '/api/public/thread/t1', headers, body: undefined, signal: undefined, route: 'GET /thread/{id}', onHeaders: undefined });
 */
export function createH1Transport(
  origin: string,
  options: PoolOptions,
  timeouts: ResolvedTimeouts,
): Transport {
  const pool = new H1Pool(new URL(origin), options, timeouts);
  const sweepMs = sweepPeriodMs(
    Math.min(
      timeouts.attemptTimeoutMs,
      timeouts.connectTimeoutMs,
      timeouts.headersTimeoutMs,
      timeouts.bodyTimeoutMs,
    ),
  );
  let sweeper: NodeJS.Timeout | undefined;
  const ensureSweeper = () => {
    if (sweeper !== undefined) return;
    sweeper = setInterval(() => {
      pool.sweep(Date.now());
      if (pool.inFlight.size === 0 && pool.free.length === 0 && sweeper !== undefined) {
        clearInterval(sweeper);
        sweeper = undefined;
      }
    }, sweepMs);
    sweeper.unref();
  };
  let closed: Promise<void> | null = null;

  function send(request: TransportRequest): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      const signal = request.signal;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (pool.closing) {
        reject(toTransportError(new H1Error('UND_ERR_CLOSED', CLOSED), request, false, timeouts));
        return;
      }
      // Rendered once here, checked as it is: a line break in a name or value would let the
      // caller write a header (or a request) of its own choosing.
      const headers = request.headers;
      let headerLines = '';
      for (const name in headers) {
        const value = headers[name]!;
        if (hasLineBreak(value) || hasLineBreak(name)) {
          reject(new TypeError(`header ${JSON.stringify(name)} has a line break in its name or value`));
          return;
        }
        headerLines += `${name}: ${value}\r\n`;
      }
      const nowMs = Date.now();
      const exchange = new Exchange(request, headerLines, nowMs, pool, resolve, reject);
      if (signal !== undefined) {
        exchange.callerAttempts = pool.callerSignals.add(signal, exchange);
      }
      pool.inFlight.add(exchange);
      ensureSweeper();
      pool.dispatch(exchange, nowMs);
    });
  }

  return {
    name: 'h1',
    send,
    stats: () => ({
      connected: pool.connections.size,
      running: pool.inFlight.size - pool.queue.length,
      pending: pool.queue.length,
    }),
    close() {
      closed ??= (async () => {
        pool.closing = true;
        // Requests on the wire (and queued) finish first, as undici's pool.close() lets them.
        if (pool.inFlight.size > 0) {
          await new Promise<void>((resolve) => {
            pool.onDrained = resolve;
          });
        }
        for (const connection of [...pool.connections]) connection.destroy();
        pool.callerSignals.sweep();
        if (sweeper !== undefined) clearInterval(sweeper);
        sweeper = undefined;
      })();
      return closed;
    },
  };
}
