import { createHash, randomUUID } from 'node:crypto';
import { ConfigError, type ValidationProblem } from '../util/validation.js';
import type { RandomSource } from './backoff.js';
import type { ClientHooks } from './hooks.js';
import type { RateLimitOptions } from './limiter.js';
import type { PoolOptions } from './pool.js';
import type { RetryPolicyOptions } from './retry-policy.js';
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
  /** Clock, ms since epoch. Default `Date.now`. */
  now?: () => number;
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
  now: () => number;
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

type Check = (value: number) => string | null;

const integerAtLeast =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && v >= min ? null : `must be an integer ≥ ${min}`;
const atLeast =
  (min: number): Check =>
  (v) =>
    Number.isFinite(v) && v >= min ? null : `must be a number ≥ ${min}`;
const positive: Check = (v) => (Number.isFinite(v) && v > 0 ? null : 'must be a number > 0');
const fraction: Check = (v) => (Number.isFinite(v) && v >= 0 && v <= 1 ? null : 'must be between 0 and 1');

/** Every numeric option, its path and its rule. Read from the raw options, before defaults. */
function numericChecks(o: NexusClientOptions): [string, unknown, Check][] {
  const rl = o.rateLimit === false ? undefined : o.rateLimit;
  const budget = o.retry?.budget === false ? undefined : o.retry?.budget;
  const batching = o.batching === false ? undefined : o.batching;
  const windows = (name: 'perMinute' | 'perHour'): [string, unknown, Check][] => {
    const w = rl?.[name];
    return w === undefined || w === false
      ? []
      : [
          [`rateLimit.${name}.limit`, w.limit, integerAtLeast(1)],
          [`rateLimit.${name}.windowMs`, w.windowMs, integerAtLeast(1)],
        ];
  };
  return [
    ['pool.connections', o.pool?.connections, integerAtLeast(1)],
    ['pool.keepAliveTimeoutMs', o.pool?.keepAliveTimeoutMs, positive],
    ['timeouts.connectTimeoutMs', o.timeouts?.connectTimeoutMs, positive],
    ['timeouts.headersTimeoutMs', o.timeouts?.headersTimeoutMs, positive],
    ['timeouts.bodyTimeoutMs', o.timeouts?.bodyTimeoutMs, positive],
    ['timeouts.attemptTimeoutMs', o.timeouts?.attemptTimeoutMs, positive],
    ['rateLimit.maxConcurrent', rl?.maxConcurrent, integerAtLeast(1)],
    ...windows('perMinute'),
    ...windows('perHour'),
    ['rateLimit.maxQueued', rl?.maxQueued, integerAtLeast(1)],
    ['rateLimit.clockMarginMs', rl?.clockMarginMs, atLeast(0)],
    ['rateLimit.fallbackPauseMs', rl?.fallbackPauseMs, atLeast(0)],
    ['retry.maxAttempts', o.retry?.maxAttempts, integerAtLeast(1)],
    ['retry.backoff.baseMs', o.retry?.backoff?.baseMs, positive],
    ['retry.backoff.capMs', o.retry?.backoff?.capMs, atLeast(o.retry?.backoff?.baseMs ?? 100)],
    ['retry.budget.ratio', budget?.ratio, fraction],
    ['retry.budget.minRetriesPerSecond', budget?.minRetriesPerSecond, atLeast(0)],
    ['retry.budget.windowMs', budget?.windowMs, atLeast(10)],
    ['retry.maxRateLimitWaitMs', o.retry?.maxRateLimitWaitMs, atLeast(0)],
    ['retry.maxRateLimitedAttempts', o.retry?.maxRateLimitedAttempts, integerAtLeast(1)],
    ['batching.maxBatchSize', batching?.maxBatchSize, integerAtLeast(1)],
    ['batching.maxWaitMs', batching?.maxWaitMs, atLeast(0)],
    ['batching.maxQueued', batching?.maxQueued, integerAtLeast(1)],
    ['polling.initialIntervalMs', o.polling?.initialIntervalMs, positive],
    ['polling.maxIntervalMs', o.polling?.maxIntervalMs, atLeast(o.polling?.initialIntervalMs ?? 250)],
    ['polling.factor', o.polling?.factor, atLeast(1)],
    ['polling.replyTimeoutMs', o.polling?.replyTimeoutMs, positive],
    ['maxMessageLength', o.maxMessageLength, integerAtLeast(1)],
  ];
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
  for (const [path, value, check] of numericChecks(options)) {
    if (value === undefined) continue;
    const message = typeof value === 'number' ? check(value) : 'must be a number';
    if (message !== null) problems.push({ path, message: `${message} (got ${JSON.stringify(value)})` });
  }
  const transport = options.transport;
  if (typeof transport === 'string' && !['auto', 'undici', 'fetch'].includes(transport)) {
    problems.push({
      path: 'transport',
      message: `must be auto, undici, fetch or a Transport (got ${JSON.stringify(transport)})`,
    });
  }
  const spacing = options.rateLimit === false ? undefined : options.rateLimit?.spacing;
  if (spacing !== undefined && spacing !== 'burst' && spacing !== 'even') {
    problems.push({
      path: 'rateLimit.spacing',
      message: `must be burst or even (got ${JSON.stringify(spacing)})`,
    });
  }
  return problems;
}

/**
 * Applies defaults and environment fallbacks, once. Throws a `ConfigError` (code
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
  const now = options.now ?? Date.now;
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
      initialIntervalMs: polling.initialIntervalMs ?? 250,
      maxIntervalMs: polling.maxIntervalMs ?? 2_000,
      factor: polling.factor ?? 1.5,
      replyTimeoutMs: polling.replyTimeoutMs ?? 30_000,
    },
    maxMessageLength: options.maxMessageLength ?? 4_000,
    hooks: options.hooks ?? {},
    now,
    random,
    newIdempotencyKey: options.newIdempotencyKey ?? randomUUID,
  };
}
