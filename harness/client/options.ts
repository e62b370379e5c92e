import { createHash, randomUUID } from 'node:crypto';
import { ConfigError, parseWithSchema, type ValidationProblem } from '../util/validation.js';
import type { RandomSource } from './backoff.js';
import type { ClientHooks } from './hooks.js';
import type { RateLimitOptions } from './limiter.js';
import { clientSettingsSchema, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_POLLING } from './options-schema.js';
import type { PoolOptions } from './pool.js';
import type { RetryPolicyOptions } from './retry-policy.js';
import { type ClientTimers, realTimers } from './timers.js';
import type { Transport, TransportTimeouts } from './transport.js';
import type { TransportKind } from './transport-auto.js';

/**
 * The real API's base URL; used only when neither `baseUrl` nor `NEXUS_BASE_URL` is set.
 *
 * @example
 * createNexusClient({ apiKey, baseUrl: process.env.CI ? mockUrl : DEFAULT_BASE_URL });
 */
export const DEFAULT_BASE_URL = 'https://api.nexusgpt.io/api/public';

/** Send batching (see `batcher.ts`). */
export interface BatchingOptions {
  /** Flush when this many sends are buffered. Default 10. */
  maxBatchSize?: number;
  /** Flush this long after the first buffered send at the latest, ms. Default 20. */
  maxWaitMs?: number;
  /** Sends accepted and not yet settled before `sendMessage` refuses more. Default 1_000. */
  maxQueued?: number;
}

/** How `waitForReply` polls. */
export interface PollingOptions {
  /** First pause between polls, ms. Default 250. */
  initialIntervalMs?: number;
  /** Longest pause between polls, ms. Default 2_000. */
  maxIntervalMs?: number;
  /** Growth of the pause per poll. Default 1.5. */
  factor?: number;
  /** Default `timeoutMs` of `waitForReply`, ms. Default 30_000. */
  replyTimeoutMs?: number;
}

/**
 * Options of {@link createNexusClient}. Every field is optional; defaults are applied once.
 *
 * @example
 * createNexusClient({
 *   baseUrl: 'http://127.0.0.1:4010/api/public',
 *   apiKey: 'nexus-mock-key',
 *   rateLimit: { maxConcurrent: 8, perMinute: { limit: 10, windowMs: 2_000 } },
 *   retry: { maxAttempts: 5 },
 *   idempotencyKeys: true,
 * });
 */
export interface NexusClientOptions {
  /** The API key (header `api-key`). Default `process.env.NEXUS_API_KEY`; required one way or the other. */
  apiKey?: string;
  /** Base URL ending in `/api/public`. Default `process.env.NEXUS_BASE_URL`, else the real API's. */
  baseUrl?: string;
  /** Request path (see `transport-auto.ts`) or a transport of your own. Default `auto`. */
  transport?: TransportKind | Transport;
  /** Keep-alive pool. Default 16 connections, 4 s keep-alive. */
  pool?: PoolOptions;
  /** Connect 5 s, headers 15 s, body 15 s, whole attempt 30 s by default. */
  timeouts?: TransportTimeouts;
  /** The client's own budgets, or `false` for none (the server's 429s are still honoured). Default: the real API's limits. */
  rateLimit?: RateLimitOptions | false;
  /** Retry policy. Default 4 attempts, full-jitter backoff 100 ms–10 s, 20 % budget, 60 s max rate-limit wait. */
  retry?: RetryPolicyOptions;
  /**
   * Send an `Idempotency-Key` (stable across the attempts of one operation) with every POST,
   * and retry POSTs whose outcome is unknown. Only safe when the server honours the key,
   * as the mock does; the real API does not document it. Default false: ambiguous POST
   * failures are not retried.
   */
  idempotencyKeys?: boolean;
  /** Batch `sendMessage` calls, or `false`. Default `false`. */
  batching?: BatchingOptions | false;
  /** `waitForReply` polling. */
  polling?: PollingOptions;
  /** Longest message content accepted, characters. Default 4_000 (the API's). */
  maxMessageLength?: number;
  /** Timing hooks. */
  hooks?: ClientHooks;
  /**
   * Clock, ms since epoch; the client's durations are differences of its readings. Default
   * `timers.now` (the real one: monotonic, sub-ms); wins over `timers.now` when both are given.
   */
  now?: () => number;
  /**
   * Clock and timers for every wait of the client: backoff and poll pauses, the rate gate,
   * the batcher's `maxWaitMs`, the retry budget, `waitForReply` deadlines, the bounds of
   * `close`. Pass a virtual clock (see `timersFromClock`) to run without waiting in wall time.
   * The built-in transports' timeouts and bottleneck's budgets stay on the real clock (see
   * `timers.ts`). Default {@link realTimers}: `performance.timeOrigin + performance.now()` and Node's timers.
   */
  timers?: ClientTimers;
  /** Random source for jitter. Default `Math.random`. */
  random?: RandomSource;
  /** Makes idempotency keys. Default `crypto.randomUUID`. */
  newIdempotencyKey?: () => string;
}

/** Options with their defaults applied. */
export interface ResolvedClientOptions {
  apiKey: string;
  /** The key's fingerprint: safe to log, used as the shared limiter's id. */
  keyFingerprint: string;
  origin: string;
  /** Base path without a trailing slash, e.g. `/api/public`. */
  basePath: string;
  transport: TransportKind | Transport;
  pool: PoolOptions;
  timeouts: TransportTimeouts;
  rateLimit: RateLimitOptions | false;
  retry: RetryPolicyOptions;
  idempotencyKeys: boolean;
  batching: BatchingOptions | false;
  polling: Required<PollingOptions>;
  maxMessageLength: number;
  hooks: ClientHooks;
  /** `timers.now`, as a function of its own. */
  now: () => number;
  /** The clock and timers every part of the client uses; `timers.now` is `now`. */
  timers: ClientTimers;
  random: RandomSource;
  newIdempotencyKey: () => string;
}

/**
 * A short, stable, non-reversible id for an API key: the first 16 hex digits of its SHA-256.
 *
 * @example
 * keyFingerprint('nexus-mock-key') // '…16 hex digits…'
 */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/**
 * The plain-data part of the options, for {@link clientSettingsSchema}: everything but the
 * key, the URL and what is code (a transport object, hooks, clocks and timers, random sources, redis).
 * Values of the wrong shape are passed on as they are, for the schema to report.
 */
function settingsOf(options: NexusClientOptions): Record<string, unknown> {
  const {
    apiKey,
    baseUrl,
    hooks,
    now,
    timers,
    random,
    newIdempotencyKey,
    transport,
    rateLimit,
    retry,
    ...rest
  } = options;
  const settings: Record<string, unknown> = { ...rest };
  if (transport !== undefined && !isObject(transport)) settings.transport = transport;
  if (rateLimit !== undefined) settings.rateLimit = without(rateLimit, 'redis');
  if (retry !== undefined) {
    const data = without(retry, 'random', 'now');
    if (isObject(data)) {
      if (data.backoff !== undefined) data.backoff = without(data.backoff, 'random');
      if (data.budget !== undefined) data.budget = without(data.budget, 'now');
    }
    settings.retry = data;
  }
  return settings;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A shallow copy of `value` without `keys` (anything but an object is returned as it is). */
function without(value: unknown, ...keys: string[]): unknown {
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Every problem with the options, each with its field path. Never quotes the API key. */
function findProblems(
  options: NexusClientOptions,
  apiKey: string | undefined,
  baseUrl: string,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (apiKey === undefined || apiKey === '') {
    problems.push({ path: 'apiKey', message: 'no API key: pass options.apiKey or set NEXUS_API_KEY' });
  }
  if (!URL.canParse(baseUrl)) {
    problems.push({
      path: 'baseUrl',
      message: `${JSON.stringify(baseUrl)} is not a URL (e.g. http://127.0.0.1:4010/api/public)`,
    });
  } else {
    const protocol = new URL(baseUrl).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      problems.push({ path: 'baseUrl', message: `must be http or https, got ${protocol}` });
    }
  }
  try {
    parseWithSchema(clientSettingsSchema, settingsOf(options), 'Nexus client options');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  return problems;
}

/**
 * Validates the options once, through `clientSettingsSchema` (the schema a scenario's `client`
 * block uses too), and applies defaults and environment fallbacks. Throws a `ConfigError` (code
 * `NH_CONFIG_INVALID`) listing every problem with its field path; it never quotes the key.
 *
 * @example
 * const resolved = resolveClientOptions({ apiKey: 'k', baseUrl: 'http://127.0.0.1:4010/api/public' });
 */
export function resolveClientOptions(
  options: NexusClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedClientOptions {
  const apiKey = options.apiKey ?? env.NEXUS_API_KEY;
  const baseUrl = options.baseUrl ?? env.NEXUS_BASE_URL ?? DEFAULT_BASE_URL;
  const problems = findProblems(options, apiKey, baseUrl);
  if (problems.length > 0 || apiKey === undefined) throw new ConfigError('Nexus client options', problems);
  const url = new URL(baseUrl);
  const random = options.random ?? Math.random;
  // `now` alone (the option older than `timers`) keeps the real timers, as it always did.
  const base = options.timers ?? realTimers;
  const now = options.now ?? (() => base.now());
  const timers: ClientTimers =
    options.timers === undefined && options.now === undefined
      ? realTimers
      : {
          now,
          setTimeout: (callback, delayMs) => base.setTimeout(callback, delayMs),
          clearTimeout: (handle) => base.clearTimeout(handle),
        };
  const polling = options.polling ?? {};
  return {
    apiKey,
    keyFingerprint: keyFingerprint(apiKey),
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    transport: options.transport ?? 'auto',
    pool: options.pool ?? {},
    timeouts: options.timeouts ?? {},
    rateLimit: options.rateLimit ?? {},
    retry: { ...options.retry, random: options.retry?.random ?? random, now: options.retry?.now ?? now },
    idempotencyKeys: options.idempotencyKeys ?? false,
    batching: options.batching ?? false,
    polling: {
      initialIntervalMs: polling.initialIntervalMs ?? DEFAULT_POLLING.initialIntervalMs,
      maxIntervalMs: polling.maxIntervalMs ?? DEFAULT_POLLING.maxIntervalMs,
      factor: polling.factor ?? DEFAULT_POLLING.factor,
      replyTimeoutMs: polling.replyTimeoutMs ?? DEFAULT_POLLING.replyTimeoutMs,
    },
    maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    hooks: options.hooks ?? {},
    now,
    timers,
    random,
    newIdempotencyKey: options.newIdempotencyKey ?? randomUUID,
  };
}
