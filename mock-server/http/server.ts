import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UsageError } from '../../harness/util/errors.js';
import { isLoopbackHost } from '../../harness/util/loopback.js';
import { httpOrigin } from '../../harness/util/url.js';
import { answerRequest } from '../core/answer.js';
import type { BodyError } from '../core/json-body.js';
import { BASE_PATH } from '../core/router.js';
import { createSimulator, type Simulator } from '../core/simulator.js';
import type { Clock, SimRequest, SimResponse } from '../core/types.js';
import {
  type ConnectionStats,
  ConnectionTracker,
  type HttpLimits,
  rawJsonResponse,
  resolveHttpLimits,
  TIMEOUT_CHECK_INTERVAL_MS,
} from './connections.js';
import { hasBody, readJsonBody } from './read-body.js';
import { type GuardPolicy, guardRequest } from './request-guard.js';
import { type PendingWork, sendJsonError, sendResponse } from './send-response.js';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Simulator configuration (validated); ignored when `simulator` is given. */
  config?: unknown;
  /** Clock for a simulator created here. Default: the real clock. */
  clock?: Clock;
  /** Serve an existing simulator (to share it with MSW handlers, say). */
  simulator?: Simulator;
  /** How long `close()` lets in-flight requests finish before cutting them, ms. Default 2000. */
  shutdownGraceMs?: number;
  /**
   * A token every admin request must carry in header `x-admin-token` (`ADMIN_TOKEN_HEADER`).
   * Optional on loopback; required when `host` is not a loopback name, since the admin API
   * (reset, faults, the ledger) is then reachable from the network.
   */
  adminToken?: string;
  /** Timeouts and connection bounds of the HTTP face; see {@link HttpLimits} for each default. */
  http?: Partial<HttpLimits>;
}

/** A running mock server. */
export interface RunningMockServer {
  /** Base URL of the public API, e.g. `http://127.0.0.1:43123/api/public`. */
  url: string;
  /** Scheme, host and port, e.g. `http://127.0.0.1:43123`; the admin API is at `${origin}/__admin`. */
  origin: string;
  port: number;
  host: string;
  simulator: Simulator;
  /** The timeouts and connection bounds in force (defaults filled in). */
  httpLimits: Readonly<HttpLimits>;
  /** Connections open now, and what the connection bounds have refused so far. */
  stats(): ConnectionStats;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes everything. */
  close(): Promise<void>;
}

/**
 * Answers a request node's parser rejected (bad request line or headers, or one that timed
 * out) with a JSON 4xx, then closes. A malformed request that follows valid pipelined ones is
 * answered after their responses (whose effects were applied), in order; a timed-out one at
 * once, since the point of the timeout is to free the connection.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  tracker: ConnectionTracker,
  limits: HttpLimits,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : timedOut ? 408 : 400;
  const raw = rawJsonResponse(
    status,
    timedOut
      ? `Request not received in time: headers are due within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestTimeoutMs} ms`
      : `Malformed HTTP request (${error.code ?? 'unknown'})`,
  );
  if (timedOut) socket.end(raw);
  else tracker.afterPending(socket, () => (socket.writable ? socket.end(raw) : socket.destroy()));
}

/**
 * Starts the mock Nexus API as a real HTTP server (keep-alive, loopback by default).
 *
 * @example
 * const mock = await startMockServer({ config: { seed: 7, limits: false } });
 * const res = await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const simulator = options.simulator ?? createSimulator(options.config ?? {}, { clock: options.clock });
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = isLoopbackHost(host);
  if (!loopbackOnly && (options.adminToken === undefined || options.adminToken === '')) {
    throw new UsageError(
      `Failed to start the mock on ${host}: it is not a loopback address, so the admin API would be open to the network. Give an adminToken (CLI: --admin-token), or bind 127.0.0.1.`,
    );
  }
  if (options.adminToken === '') {
    throw new UsageError('Failed to start the mock: adminToken is empty. Give a non-empty token or none.');
  }
  const graceMs = options.shutdownGraceMs ?? 2_000;
  const httpLimits = resolveHttpLimits(options.http);
  const tracker = new ConnectionTracker(httpLimits);
  const work: PendingWork = { timers: new Set(), stalled: new Set() };
  // Completed in the listen callback, once the port is known.
  let policy: GuardPolicy = { port: 0, loopbackOnly };

  // One request object, refilled for each call: the simulator answers synchronously, so it
  // is never read after `handle` returns, and the hot path allocates no closure per request.
  let current: IncomingMessage | null = null;
  const simRequest: SimRequest = {
    method: '',
    path: '',
    query: '',
    body: undefined,
    header(name) {
      const value = current?.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
  };

  const answer = (
    req: IncomingMessage,
    path: string,
    query: string,
    body: unknown,
    bodyError?: BodyError,
  ): SimResponse => {
    current = req;
    simRequest.method = req.method ?? 'GET';
    simRequest.path = path;
    simRequest.query = query;
    simRequest.body = body;
    simRequest.bodyError = bodyError;
    try {
      return answerRequest(simulator, simRequest);
    } finally {
      current = null;
      simRequest.body = undefined;
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!tracker.admit(req, res)) return;
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400. Node's own check
      // (requireHostHeader) answers with an empty body, so it is off and done here, in JSON.
      sendJsonError(res, 400, 'Malformed HTTP request: an HTTP/1.1 request needs a Host header');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const refusal = guardRequest(path, req.headers, policy);
    if (refusal !== null) {
      sendJsonError(res, refusal.status, refusal.message);
      return;
    }
    if (!hasBody(req)) {
      sendResponse(res, answer(req, path, query, undefined), work);
      return;
    }
    readJsonBody(req, simulator.config.maxBodyBytes).then((result) => {
      const response =
        result.kind === 'json'
          ? answer(req, path, query, result.value)
          : result.kind === 'none'
            ? answer(req, path, query, undefined)
            : answer(req, path, query, undefined, result.kind);
      // Do not read the rest of an oversized upload: answer, then close the connection.
      if (result.kind === 'too-large') res.shouldKeepAlive = false;
      sendResponse(res, response, work);
      if (result.kind === 'too-large') res.on('finish', () => req.socket.destroy());
    });
  };

  const server: Server = createServer(
    {
      keepAlive: true,
      requireHostHeader: false,
      headersTimeout: httpLimits.headersTimeoutMs,
      requestTimeout: httpLimits.requestTimeoutMs,
      keepAliveTimeout: httpLimits.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (its default, 30 s, would let a
      // stalled request live up to 30 s past its timeout).
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, httpLimits.headersTimeoutMs),
    },
    onRequest,
  );
  // After the http server's own listener, so pausing a refused socket stops its parser too.
  server.on('connection', tracker.onConnection);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(error, socket, tracker, httpLimits),
  );
  // Node answers an unsupported `Expect` with a bare 417; this listener makes it the API's JSON.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const value = String(req.headers.expect).slice(0, 100);
    sendJsonError(
      res,
      417,
      `Unsupported Expect: ${JSON.stringify(value)}; this server supports only 100-continue`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      // Here, before any connection can be served: the guard needs the real port.
      policy = { port: (server.address() as AddressInfo).port, loopbackOnly, adminToken: options.adminToken };
      resolve();
    });
  });
  const port = policy.port;
  const origin = httpOrigin(host, port);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const res of work.stalled) res.socket?.destroy();
      work.stalled.clear();
      const cut = setTimeout(() => {
        for (const timer of work.timers) clearTimeout(timer);
        work.timers.clear();
        server.closeAllConnections();
      }, graceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return {
    url: `${origin}${BASE_PATH}`,
    origin,
    port,
    host,
    simulator,
    httpLimits,
    stats: () => tracker.stats(),
    close,
  };
}
