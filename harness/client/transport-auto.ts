import type { PoolOptions } from './pool.js';
import type {
  ResolvedTimeouts,
  Transport,
  TransportRequest,
  TransportResponse,
  TransportStats,
} from './transport.js';
import { createFetchTransport, isFetchPatched } from './transport-fetch.js';
import { createH1Transport, isLoopbackHttp } from './transport-h1.js';

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

/** The undici paths of one origin: the pool, and the two transports that share it. */
interface UndiciPaths {
  undici: Transport;
  fetch: Transport;
}

const IDLE = Object.freeze({ connected: 0, running: 0, pending: 0 });

/**
 * undici's two paths, made on first use: loading undici costs ~110 ms of CPU, which a run
 * whose requests all take the `h1` path (the loopback default) never needs to pay.
 */
function lazyUndiciPaths(origin: string, pool: PoolOptions, timeouts: ResolvedTimeouts) {
  let made: Promise<UndiciPaths> | null = null;
  let ready: UndiciPaths | null = null;
  const get = (): Promise<UndiciPaths> => {
    made ??= Promise.all([import('./pool.js'), import('./transport-undici.js')]).then(([p, u]) => {
      const shared = p.createPool(origin, pool, timeouts);
      ready = {
        undici: u.createUndiciTransport(shared, timeouts),
        fetch: createFetchTransport(origin, shared, timeouts),
      };
      return ready;
    });
    return made;
  };
  return {
    send(path: keyof UndiciPaths, request: TransportRequest): Promise<TransportResponse> {
      return ready !== null ? ready[path].send(request) : get().then((paths) => paths[path].send(request));
    },
    stats: () => (ready === null ? IDLE : ready.undici.stats()),
    // The undici transport owns the shared pool: closing it closes both paths.
    close: async () => {
      if (made !== null) await (await made).undici.close();
    },
  };
}

function sumStats(a: TransportStats, b: TransportStats): TransportStats {
  return {
    connected: a.connected + b.connected,
    running: a.running + b.running,
    pending: a.pending + b.pending,
  };
}

/**
 * Creates the transport for `origin` (undici's paths share one keep-alive pool).
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
  const loopbackHttp = isLoopbackHttp(origin);
  if (kind === 'h1') {
    if (!loopbackHttp) {
      throw new TypeError(
        `transport 'h1' serves http: on a loopback host only (got ${new URL(origin).origin}); use 'undici'`,
      );
    }
    return createH1Transport(origin, pool, timeouts);
  }
  const paths = lazyUndiciPaths(origin, pool, timeouts);
  if (kind === 'fetch' || kind === 'undici') {
    const path = kind;
    return {
      name: kind,
      send: (request) => paths.send(path, request),
      stats: paths.stats,
      close: paths.close,
    };
  }
  const h1 = loopbackHttp ? createH1Transport(origin, pool, timeouts) : null;
  return {
    name: 'auto',
    send: (request) =>
      isFetchPatched()
        ? paths.send('fetch', request)
        : h1 !== null
          ? h1.send(request)
          : paths.send('undici', request),
    stats: () => (h1 === null ? paths.stats() : sumStats(h1.stats(), paths.stats())),
    close: async () => {
      await Promise.all([h1?.close(), paths.close()]);
    },
  };
}
