import { Redis } from 'ioredis';
import { UsageError } from '../util/errors.js';
import { isLoopbackHost } from '../util/loopback.js';
import { redactUrl } from '../util/url.js';
import { StoreError } from './store-errors.js';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Allow a Redis that is not on loopback. Default false: only `localhost`, `127.0.0.0/8`, `::1`. */
  allowRemote?: boolean;
  /**
   * How long to wait for the first connection to be ready, ms: the TCP connect and Redis's
   * answer to the ready check both. Default 5 000.
   */
  connectTimeoutMs?: number;
  /**
   * How long one command may take before it fails, ms, time queued during a reconnection
   * included. Default 2 000: commands on a healthy Redis take well under a ms, and without a
   * bound a Redis that stops answering (stuck, paused, a half-open connection) holds every
   * caller forever.
   */
  commandTimeoutMs?: number;
}

/**
 * One ioredis connection, connected and ready, or a rejection saying why (the URL named
 * without its password). Refuses a non-loopback Redis unless `allowRemote`, as the harness
 * refuses to send load off loopback.
 *
 * Once up, a lost connection is retried with a jittered backoff (50 ms doubling to 2 s) for
 * as long as it takes, since a service outlives a Redis restart; meanwhile each command is
 * queued and fails after 2 reconnection attempts (`maxRetriesPerRequest`) or after
 * `commandTimeoutMs`, whichever comes first, so a caller waits a few seconds at most, never
 * forever, even on a Redis that accepts connections and never answers.
 *
 * @example
 * const client = await connectRedis('redis://127.0.0.1:6379');
 * await client.ping(); // 'PONG'
 * await client.quit();
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const shown = redactUrl(url);
  if (!URL.canParse(url))
    throw new UsageError(`Failed to use Redis URL ${shown}: not a URL. Use redis://HOST:PORT.`);
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`Failed to use Redis URL ${shown}: the scheme must be redis: or rediss:.`);
  }
  if (options.allowRemote !== true && !isLoopbackHost(parsed.hostname)) {
    throw new UsageError(
      `Refusing to connect to Redis at ${shown}: ${parsed.hostname} is not loopback. ` +
        'Pass allowRemote: true to use a Redis on another host.',
    );
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const client = new Redis(url, {
    lazyConnect: false,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 2,
    // Queue commands during a reconnection rather than fail them at once; maxRetriesPerRequest bounds the wait.
    enableOfflineQueue: true,
    retryStrategy: (times: number) =>
      Math.min(50 * 2 ** Math.min(times, 6), 2_000) * (0.5 + Math.random() / 2),
  });
  // Without a listener ioredis prints every connection error itself; a failed command reports its own.
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      // ioredis's connectTimeout ends at the TCP connect; a server that accepts and never
      // answers the ready check would hold this wait forever without a deadline of its own.
      const deadline = setTimeout(
        () => settle(new Error(`not ready after ${connectTimeoutMs} ms (connected, but no answer)`)),
        connectTimeoutMs,
      );
      const settle = (err?: Error) => {
        clearTimeout(deadline);
        client.off('ready', onReady);
        client.off('error', onError);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => settle();
      // The first failure ends the wait: a Redis that is down at start-up is a setup error, not something to wait out.
      const onError = (err: Error) => settle(err);
      client.on('ready', onReady);
      client.on('error', onError);
    });
  } catch (err) {
    client.disconnect();
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreError(
      `Failed to connect to Redis at ${shown}: ${why}. Is redis-server running there? Check the URL, or leave it out for in-memory stores.`,
      { cause: err },
    );
  }
  return client;
}
