import { createNexusClient } from '../client/client.js';
import type { NexusClientOptions } from '../client/options.js';
import { createEventBus } from '../service/events/event-bus.js';
import { createHealthCheck } from '../service/health.js';
import { createKeyRotation, type RotationResult } from '../service/keys/key-rotation.js';
import { createServiceLogger, type LogLevel, type ServiceLog } from '../service/logging/logger.js';
import { createServiceMetrics } from '../service/metrics.js';
import { createSessionService } from '../service/session-service.js';
import { createServiceStores } from '../service/stores.js';
import type { UserLimits } from '../service/types.js';
import { checkMessage } from '../service/validation/message-check.js';
import { httpOrigin } from '../util/url.js';
import { buildChatApp } from './build-app.js';
import { nexusOpId } from './op-ids.js';

/**
 * The chat app's composition root: the stores (memory or Redis), the logger, the event bus, a
 * key rotation over Nexus clients, the session service, health and metrics, put together once
 * and served by fastify on loopback. Closing it stops accepting, lets requests in flight
 * finish, then closes the clients and the stores, in that order (a request still running
 * needs both).
 */

/** Options of {@link startChatApp}. */
export interface ChatAppOptions {
  /** The Nexus API's base URL, e.g. `http://127.0.0.1:4010/api/public`. */
  nexusUrl: string;
  /** The API key at start. */
  apiKey: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Redis for sessions, cache and limits (`redis://127.0.0.1:6379`). Default: in memory. */
  redisUrl?: string;
  /** Per-user limits over the guide's (10/min, 100/h, 5 sessions a day). */
  limits?: Partial<UserLimits>;
  /** How long a rotated-out key's client keeps serving the calls it carries, ms. Default 60_000. */
  keyGraceMs?: number;
  /** Enables `POST /admin/rotate-key`, checked against header `x-admin-token`. Default: no admin route. */
  adminToken?: string;
  /**
   * Where the app logs; `false` for nowhere. Default: its own JSON-lines logger (see
   * `logLevel`, `logDestination`) scrubbing every key it has known, rotated ones included.
   */
  logger?: ServiceLog | false;
  /** Level of the default logger. Default `info`. */
  logLevel?: LogLevel;
  /** Where the default logger writes. Default stdout. */
  logDestination?: NodeJS.WritableStream;
  /** Options of every Nexus client (any key); `apiKey` and `baseUrl` come from above. */
  clientOptions?: Omit<NexusClientOptions, 'apiKey' | 'baseUrl'>;
  /** Longest wait for the assistant's reply, ms. Default 30_000. */
  replyTimeoutMs?: number;
  /** Longest a chat request may take in all, ms. Default 45_000. */
  requestTimeoutMs?: number;
  /**
   * Largest request body, bytes. Default 32_768: a 4,000-character message sent with every
   * character escaped as `\uXXXX` (what Python's `json.dumps` does by default for non-ASCII)
   * is 24,000 bytes of JSON.
   */
  bodyLimitBytes?: number;
  /**
   * Longest time to receive a whole request (headers and body), ms; a caller trickling its body
   * is cut then (408). Default 10_000.
   */
  receiveTimeoutMs?: number;
  /** Longest wait for each health check, ms. Default 2_000. */
  healthTimeoutMs?: number;
  /** How long `close()` waits for requests in flight before cutting their connections, ms. Default 10_000. */
  closeTimeoutMs?: number;
}

/** A running chat app. */
export interface RunningChatApp {
  /** e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Tries the new key; on success new calls use it, the old one retires after `keyGraceMs`. Never rejects. */
  rotateKey(newKey: string): Promise<RotationResult>;
  /** Stops accepting, finishes requests in flight, closes clients and stores. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The longest a chat waits for the API's rate-limit reset before passing the 429 on, ms:
 * the client's default (60 s) would hold the caller's request that long.
 */
const APP_MAX_RATE_LIMIT_WAIT_MS = 5_000;

/**
 * Starts the chat app.
 *
 * @example
 * const app = await startChatApp({ nexusUrl: mock.url, apiKey: 'nexus-mock-key', port: 0 });
 * const res = await fetch(`${app.url}/chat`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', 'x-user-id': 'u1' },
 *   body: JSON.stringify({ message: 'What is 2+2?' }),
 * });
 * await app.close();
 */
export async function startChatApp(options: ChatAppOptions): Promise<RunningChatApp> {
  const host = options.host ?? '127.0.0.1';
  const keys = [options.apiKey];
  const logger: ServiceLog =
    options.logger === false
      ? createServiceLogger({ level: 'silent', secrets: () => keys })
      : (options.logger ??
        createServiceLogger({
          level: options.logLevel ?? 'info',
          destination: options.logDestination,
          secrets: () => keys,
        }));
  const clientOptions = options.clientOptions ?? {};
  const makeClient = (apiKey: string) =>
    createNexusClient({
      ...clientOptions,
      retry: { maxRateLimitWaitMs: APP_MAX_RATE_LIMIT_WAIT_MS, ...clientOptions.retry },
      apiKey,
      baseUrl: options.nexusUrl,
    });

  const stores = await createServiceStores({ redisUrl: options.redisUrl, limits: options.limits });
  let rotation: ReturnType<typeof createKeyRotation> | undefined;
  try {
    rotation = createKeyRotation({
      apiKey: options.apiKey,
      makeClient,
      graceMs: options.keyGraceMs ?? 60_000,
      logger,
    });
    const events = createEventBus({ logger });
    const metrics = createServiceMetrics({ cache: stores.cache, events });
    const service = createSessionService({
      clients: rotation,
      sessions: stores.sessions,
      cache: stores.cache,
      limits: stores.limits,
      events,
      logger,
      replyTimeoutMs: options.replyTimeoutMs,
      opIdFor: nexusOpId,
    });
    const keyRotation = rotation;
    const rotateKey = async (newKey: string) => {
      // Scrubbed from the logs from the moment it is known, not once it is in use.
      if (!keys.includes(newKey)) keys.push(newKey);
      return keyRotation.rotate(newKey);
    };
    const app = buildChatApp({
      service,
      checkMessage,
      metrics,
      logger,
      health: createHealthCheck({ clients: rotation, store: stores, timeoutMs: options.healthTimeoutMs }),
      requestTimeoutMs: options.requestTimeoutMs ?? 45_000,
      bodyLimitBytes: options.bodyLimitBytes ?? 32_768,
      receiveTimeoutMs: options.receiveTimeoutMs,
      admin:
        options.adminToken === undefined || options.adminToken === ''
          ? undefined
          : { adminToken: options.adminToken, rotateKey },
    });
    await app.listen({ host, port: options.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
    const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;

    let closing: Promise<void> | undefined;
    return {
      url: httpOrigin(host, port),
      rotateKey,
      close() {
        closing ??= (async () => {
          const closed = app.close();
          // Past the bound, connections still busy are cut (their requests fail) so close ends.
          const cut = setTimeout(() => app.server.closeAllConnections(), closeTimeoutMs);
          try {
            await closed;
          } finally {
            clearTimeout(cut);
          }
          await keyRotation.close();
          await stores.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await rotation?.close().catch(() => {});
    await stores.close().catch(() => {});
    throw err;
  }
}
