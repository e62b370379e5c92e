import { Pool } from 'undici';
import { DEFAULT_POOL } from './options-schema.js';
import type { ResolvedTimeouts } from './transport.js';

/**
 * The keep-alive connection pool both transports send through: one undici `Pool` per origin.
 */

export interface PoolOptions {
  /** Most sockets open to the origin at once. Default 16. */
  connections?: number;
  /** How long an idle socket is kept open, ms. Default 4_000 (below common server idle timeouts). */
  keepAliveTimeoutMs?: number;
}

/**
 * Creates the pool for `origin`, with the connect, headers and body timeouts set on it.
 *
 * @example
 * const pool = createPool('http://127.0.0.1:3000', { connections: 32 }, resolveTimeouts());
 */
export function createPool(origin: string, options: PoolOptions, timeouts: ResolvedTimeouts): Pool {
  return new Pool(origin, {
    connections: options.connections ?? DEFAULT_POOL.connections,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_POOL.keepAliveTimeoutMs,
    connectTimeout: timeouts.connectTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    bodyTimeout: timeouts.bodyTimeoutMs,
  });
}
