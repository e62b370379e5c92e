import type { Pool } from 'undici';
import {
  type ResolvedTimeouts,
  startDeadline,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  toTransportError,
} from './transport.js';

/**
 * The fast transport: `pool.request()` straight on the keep-alive pool. Interceptors that
 * patch `globalThis.fetch` (MSW, nock) do not see it; use the fetch transport there.
 */

/**
 * Creates the undici transport over `pool` (which it owns and closes).
 *
 * @example
 * const transport = createUndiciTransport(createPool(origin, {}, timeouts), timeouts);
 * const res = await transport.send({ method: 'GET', path: '/api/public/thread/x', headers, body: undefined, signal: undefined, route: 'GET /thread/{id}' });
 */
export function createUndiciTransport(pool: Pool, timeouts: ResolvedTimeouts): Transport {
  async function send(request: TransportRequest): Promise<TransportResponse> {
    const deadline = startDeadline(timeouts, request.signal);
    try {
      const res = await pool.request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal: deadline.signal,
      });
      if (request.onHeaders !== undefined) request.onHeaders(res.statusCode, res.headers);
      const body = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      throw toTransportError(err, request, deadline);
    } finally {
      deadline.dispose();
    }
  }

  return {
    name: 'undici',
    send,
    stats: () => {
      const s = pool.stats;
      return { connected: s.connected, running: s.running, pending: s.pending };
    },
    close: () => pool.close(),
  };
}
