import { createPool, type PoolOptions } from './pool.js';
import type { ResolvedTimeouts, Transport } from './transport.js';
import { createFetchTransport, isFetchPatched } from './transport-fetch.js';
import { createH1Transport, isLoopbackHttp } from './transport-h1.js';
import { createUndiciTransport } from './transport-undici.js';

/**
 * Which path a request takes:
 * - `undici`: `pool.dispatch()` on undici's keep-alive pool: any origin (TLS, remote), invisible
 *   to MSW and nock.
 * - `h1`: the lean HTTP/1.1 transport (`transport-h1.ts`) for `http:` on a loopback host: the
 *   least CPU per request, where the generator's own CPU is what limits a run; invisible to MSW
 *   and nock. Refused for any other origin.
 * - `fetch`: `globalThis.fetch` with the pool as dispatcher: seen by MSW and nock, 4–6× the CPU.
 * - `auto` (default): per request, `fetch` if something patched `globalThis.fetch` since the
 *   client module loaded (an interceptor is installed), otherwise `h1` for a loopback `http:`
 *   origin and `undici` for any other. If your interceptor is installed *before* this package
 *   is imported, choose `fetch` explicitly.
 */
export type TransportKind = 'auto' | 'undici' | 'h1' | 'fetch';

/**
 * Creates the transport for `origin` (one keep-alive pool shared by both paths).
 *
 * @example
 * const transport = createTransport('auto', 'http://127.0.0.1:3000', { connections: 16 }, resolveTimeouts());
 */
export function createTransport(
  kind: TransportKind,
  origin: string,
  pool: PoolOptions,
  timeouts: ResolvedTimeouts,
): Transport {
  if (kind === 'h1') {
    if (!isLoopbackHttp(origin)) {
      throw new TypeError(
        `transport 'h1' serves http: on a loopback host only (got ${new URL(origin).origin}); use 'undici'`,
      );
    }
    return createH1Transport(origin, pool, timeouts);
  }
  const shared = createPool(origin, pool, timeouts);
  const viaFetch = createFetchTransport(origin, shared, timeouts);
  if (kind === 'fetch') return viaFetch;
  const viaUndici = createUndiciTransport(shared, timeouts);
  if (kind === 'undici') return viaUndici;
  const direct = isLoopbackHttp(origin) ? createH1Transport(origin, pool, timeouts) : viaUndici;
  return {
    name: 'auto',
    send: (request) => (isFetchPatched() ? viaFetch.send(request) : direct.send(request)),
    stats: () => {
      const a = direct.stats();
      if (direct === viaUndici) return a;
      const b = viaUndici.stats();
      return {
        connected: a.connected + b.connected,
        running: a.running + b.running,
        pending: a.pending + b.pending,
      };
    },
    close: async () => {
      await Promise.all([direct.close(), direct === viaUndici ? undefined : viaUndici.close()]);
    },
  };
}
