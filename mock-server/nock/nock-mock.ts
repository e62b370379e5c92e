import type { ClientRequest } from 'node:http';
import { UsageError } from '../../harness/util/errors.js';
import { answerRequest } from '../core/answer.js';
import { BASE_PATH } from '../core/router.js';
import { createSimulator, type Simulator } from '../core/simulator.js';
import type { Clock, SimRequest } from '../core/types.js';
import { loadNock, type NockModule } from './load-nock.js';
import { holdNetPolicy, releaseNetPolicy } from './net-policy.js';
import { connectionError, type NockReply, nockReply } from './nock-reply.js';
import { createPendingReplies } from './pending-replies.js';
import { readNockBody } from './request-body.js';

/**
 * The fake origin a nock mock answers on when no `baseUrl` is given (the MSW face's too).
 *
 * @example
 * const mock = await createNockMock();
 * mock.origin === DEFAULT_NOCK_BASE_URL; // true
 */
export const DEFAULT_NOCK_BASE_URL = 'http://nexus.mock.local';

/**
 * The methods the mock intercepts (nock matches one method per interceptor): every method
 * `fetch` may send. A request with any other method is refused by nock, never sent.
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Options of {@link createNockMock}.
 *
 * @example
 * const options: NockMockOptions = { config: { seed: 7, limits: false }, clock: manualClock() };
 */
export interface NockMockOptions {
  /** The mock's configuration (validated; a `ConfigError` lists every problem). Default `{}`. */
  config?: unknown;
  /** Clock for the simulator (inject a `manualClock` in tests). Default: the real clock. */
  clock?: Clock;
  /**
   * Scheme and host (optionally a path prefix) the mock answers on; the public API is at
   * `${baseUrl}/api/public`, the admin API at `${baseUrl}/__admin`. Default
   * `http://nexus.mock.local`. Two open mocks may not share an origin.
   */
  baseUrl?: string;
}

/**
 * A mock Nexus API served through nock: every request to its origin, public API and admin
 * API alike, is answered by its simulator.
 *
 * @example
 * const mock = await createNockMock({ config: { seed: 7 } });
 * await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * mock.simulator.ledger().effects.length; // 1
 * await mock.close();
 */
export interface NockMock {
  /** Base URL of the public API, e.g. `http://nexus.mock.local/api/public`. */
  url: string;
  /** Where the mock answers (with any path prefix); the admin API is at `${origin}/__admin`. */
  origin: string;
  simulator: Simulator;
  /**
   * Removes the mock's interceptors, ends the replies it still owes (stalls, delays, dribbles:
   * those requests fail as on a closed connection) and, when it is the last open nock mock,
   * gives net connect back to nock's default. Idempotent.
   */
  close(): Promise<void>;
}

/** The base URL as a URL: http(s), no credentials, query or fragment; else a `UsageError` naming it. */
function parseBaseUrl(baseUrl: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(baseUrl);
  } catch {
    // reported below
  }
  if (
    url === null ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new UsageError(
      `Failed to create the nock mock: baseUrl ${JSON.stringify(baseUrl)} is not an http(s) URL of a host with an optional path (no credentials, query or fragment), e.g. ${DEFAULT_NOCK_BASE_URL}.`,
    );
  }
  return url;
}

/** One header of nock's request, as the other faces give it (several values joined by `, `). */
function headerOf(req: ClientRequest, name: string): string | undefined {
  const value = req.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Creates a simulator from `config` and serves it through the suite's own nock on `baseUrl`,
 * with the same core, admin API and bytes as the HTTP and MSW faces (bodies, `Retry-After`,
 * `X-RateLimit-*`). While any nock mock is open, nock refuses every request it has no
 * interceptor for unless it goes to loopback: nothing reaches the network. nock (an optional
 * peer dependency, `^14`) is loaded only here; without it this rejects with a `UsageError`
 * saying how to install it.
 *
 * @example
 * import { createNockMock } from 'nexus-harness/nock';
 * const mock = await createNockMock({ config: { seed: 7, limits: false } });
 * const res = await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * console.log(res.status, mock.simulator.ledger().effects.length); // 200 1
 * await mock.close();
 */
export async function createNockMock(options: NockMockOptions = {}): Promise<NockMock> {
  const nock = await loadNock();
  const baseUrl = (options.baseUrl ?? DEFAULT_NOCK_BASE_URL).replace(/\/+$/, '');
  const { origin: host, pathname } = parseBaseUrl(baseUrl);
  const prefix = pathname.replace(/\/+$/, '');
  const simulator = createSimulator(options.config ?? {}, { clock: options.clock });
  holdNetPolicy(nock, host);
  const intercept = interceptFor(nock, host, prefix, simulator);
  let closed = false;
  return {
    url: `${baseUrl}${BASE_PATH}`,
    origin: baseUrl,
    simulator,
    async close() {
      if (closed) return;
      closed = true;
      intercept.remove();
      releaseNetPolicy(nock, host);
    },
  };
}

/** The persisted nock scope that hands every request under `prefix` on `host` to the simulator. */
function interceptFor(nock: NockModule, host: string, prefix: string, simulator: Simulator) {
  const pending = createPendingReplies();
  /** Each request's body text, taken before nock parses it (see the `request` listener). */
  const bodies = new WeakMap<ClientRequest, string>();
  const scope = nock(host).persist();
  // nock parses a JSON body itself before calling a reply function, and a malformed one makes
  // that parse throw out of a timer (an uncaught exception, not a 400). The scope's `request`
  // event comes first, with the raw text: keep it, and hide the content type from that parse
  // (from nock's snapshot of the headers only; `getHeader` still answers it).
  const onRequest = (
    req: ClientRequest & { headers?: Record<string, unknown> },
    _: unknown,
    text: string,
  ) => {
    bodies.set(req, text);
    if (req.headers !== undefined) {
      const { 'content-type': _type, ...rest } = req.headers;
      req.headers = rest;
    }
  };
  scope.on('request', onRequest);

  const under = (path: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  const answer = (req: ClientRequest, uri: string): Promise<NockReply> => {
    const q = uri.indexOf('?');
    const fullPath = q === -1 ? uri : uri.slice(0, q);
    const path = fullPath.slice(prefix.length) || '/';
    const { body, bodyError } = readNockBody(bodies.get(req) ?? '', simulator.config.maxBodyBytes);
    const request: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query: q === -1 ? '' : uri.slice(q + 1),
      header: (name) => headerOf(req, name),
      body,
      bodyError,
    };
    const response = answerRequest(simulator, request);
    // A HEAD answer has no body, as on a socket (Node's server drops it; nock would send it).
    return nockReply(request.method === 'HEAD' ? { ...response, body: undefined } : response, pending);
  };

  const interceptors = METHODS.map((method) =>
    scope.intercept((uri: string) => under(uri.split('?', 1)[0]!), method),
  );
  for (const interceptor of interceptors) {
    interceptor.reply(function reply(uri) {
      return answer(this.req, uri);
    });
  }
  return {
    remove() {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      scope.off('request', onRequest);
      pending.closeAll(connectionError('ECONNRESET', 'the nock mock was closed'));
    },
  };
}
