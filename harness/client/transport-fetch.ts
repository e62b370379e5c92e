import type { Pool } from 'undici';
import type { ResponseHeaders } from './rate-limit-headers.js';
import {
  type ResolvedTimeouts,
  startDeadline,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  toTransportError,
} from './transport.js';

/**
 * The interceptable transport: `globalThis.fetch`, looked up on every call (so MSW or nock
 * installed after the client was created still see it), with the keep-alive pool as its
 * `dispatcher` (on real sockets; interceptors ignore it). It costs four to six times the CPU
 * of the undici transport per request (see `bench/client.bench.ts`), hence the `auto` choice.
 */

/**
 * The `fetch` this module saw when it loaded, before an interceptor installed later patched it.
 *
 * @example
 * const unpatched = globalThis.fetch === pristineFetch;
 */
export const pristineFetch: typeof fetch = globalThis.fetch;

/**
 * True when something replaced `globalThis.fetch` after this module was loaded (MSW, nock).
 *
 * @example
 * if (isFetchPatched()) console.log('an interceptor is installed');
 */
export function isFetchPatched(): boolean {
  return globalThis.fetch !== pristineFetch;
}

/**
 * Creates the fetch transport for `origin`, dispatching through `pool`.
 *
 * @example
 * const transport = createFetchTransport('http://127.0.0.1:3000', pool, resolveTimeouts());
 */
export function createFetchTransport(origin: string, pool: Pool, timeouts: ResolvedTimeouts): Transport {
  async function send(request: TransportRequest): Promise<TransportResponse> {
    const deadline = startDeadline(timeouts, request.signal);
    try {
      // Node's fetch takes an undici dispatcher; its bundled undici types differ from undici 7's.
      const init = {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: deadline.signal,
        dispatcher: pool,
        // A 3xx is the attempt's answer (a failed status), never followed: the Location could be
        // off loopback. The undici transport does the same (a bare dispatch follows nothing).
        redirect: 'manual',
      };
      const res = await globalThis.fetch(origin + request.path, init as unknown as RequestInit);
      const headers: ResponseHeaders = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      if (request.onHeaders !== undefined) request.onHeaders(res.status, headers);
      const body = await res.text();
      return { status: res.status, headers, body };
    } catch (err) {
      throw toTransportError(err, request, deadline.timedOut, timeouts);
    } finally {
      deadline.dispose();
    }
  }

  return {
    name: 'fetch',
    send,
    stats: () => {
      const s = pool.stats;
      return { connected: s.connected, running: s.running, pending: s.pending };
    },
    close: () => pool.close(),
  };
}
