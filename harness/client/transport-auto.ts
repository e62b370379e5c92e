import { createPool, type PoolOptions } from './pool.js';
import type { ResolvedTimeouts, Transport } from './transport.js';
import { createFetchTransport, isFetchPatched } from './transport-fetch.js';
import { createUndiciTransport } from './transport-undici.js';

/**
 * Which path a request takes:
 * - `undici`: `pool.dispatch()`: fastest, invisible to MSW and nock.
 * - `fetch`: `globalThis.fetch` with the pool as dispatcher: seen by MSW and nock, 4–6× the CPU.
 * - `auto` (default): per request, `fetch` if something patched `globalThis.fetch` since the
 *   client module loaded (an interceptor is installed), otherwise `undici`. If your interceptor
 *   is installed *before* this package is imported, choose `fetch` explicitly.
 */
export type TransportKind = 'auto' | 'undici' | 'fetch';

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
  const shared = createPool(origin, pool, timeouts);
  const viaUndici = createUndiciTransport(shared, timeouts);
  const viaFetch = createFetchTransport(origin, shared, timeouts);
  if (kind === 'undici') return viaUndici;
  if (kind === 'fetch') return viaFetch;
  return {
    name: 'auto',
    send: (request) => (isFetchPatched() ? viaFetch.send(request) : viaUndici.send(request)),
    stats: viaUndici.stats,
    close: viaUndici.close,
  };
}
