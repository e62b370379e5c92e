import { z } from 'zod';
import { MAX_DURATION_MS } from '../util/duration-limit.js';

/**
 * The one schema of the client's settings and the one set of their defaults.
 *
 * `createNexusClient` validates its options through {@link clientSettingsSchema}; a scenario's
 * `client` block is the same schema built with a duration layer in front of its ms fields
 * ({@link buildClientSettingsSchema}), so `validate` and `run` cannot disagree about a bound.
 * The component factories (backoff, retry budget, retry policy, limiter, batcher, pool,
 * transport timeouts) read their defaults from the frozen `DEFAULT_*` objects below and trust
 * their input: it was validated here.
 *
 * The schema applies no defaults itself: a field left out stays out, so a scenario's block maps
 * onto exactly the options it sets and the client's defaults (these objects) apply to the rest.
 */

/** Deeply frozen copy of a plain object of defaults. */
function frozen<T extends object>(value: T): Readonly<T> {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) Object.freeze(v);
  return Object.freeze(value);
}

/**
 * Keep-alive pool defaults.
 *
 * @example
 * new Pool(origin, { connections: options.connections ?? DEFAULT_POOL.connections });
 */
export const DEFAULT_POOL = frozen({
  /** Most sockets open to the origin at once. */
  connections: 16,
  /** How long an idle socket is kept open, ms (below common server idle timeouts). */
  keepAliveTimeoutMs: 4_000,
});

/**
 * Transport timeout defaults, ms.
 *
 * @example
 * const connectMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs; // 5_000
 */
export const DEFAULT_TIMEOUTS = frozen({
  /** TCP connect, ms. */
  connectTimeoutMs: 5_000,
  /** From request sent to response headers, ms. */
  headersTimeoutMs: 15_000,
  /** Longest silence while receiving the body, ms. */
  bodyTimeoutMs: 15_000,
  /** Whole attempt, connect to last body byte, ms. */
  attemptTimeoutMs: 30_000,
});

/**
 * Client-side rate-limit defaults: the real API's limits. `spacing` is absent on purpose: its
 * default depends on `redis` (`burst` alone, `even` when shared).
 *
 * @example
 * const perMinute = options.perMinute ?? DEFAULT_RATE_LIMIT.perMinute; // 60 per 60 s
 */
export const DEFAULT_RATE_LIMIT = frozen({
  /** Attempts on the wire at once (cluster-wide when shared). */
  maxConcurrent: 10,
  /** Per-minute budget: 60 starts per 60_000 ms. */
  perMinute: { limit: 60, windowMs: 60_000 },
  /** Per-hour budget: 1_000 starts per 3_600_000 ms. */
  perHour: { limit: 1_000, windowMs: 3_600_000 },
  /** Operations waiting for the limiter before new ones are refused. */
  maxQueued: 10_000,
  /** Added to every server-announced reset for clock skew, ms. */
  clockMarginMs: 50,
  /** Pause after a 429 with neither `Retry-After` nor `X-RateLimit-Reset`, ms. */
  fallbackPauseMs: 1_000,
});

/**
 * Full-jitter backoff defaults, ms.
 *
 * @example
 * const capMs = options.capMs ?? DEFAULT_BACKOFF.capMs; // 10_000
 */
export const DEFAULT_BACKOFF = frozen({
  /** Upper bound of the first retry's delay, ms. */
  baseMs: 100,
  /** No delay exceeds this, ms. */
  capMs: 10_000,
});

/**
 * Retry budget defaults: retries ≤ 20 % of traffic plus 2 per second, over 10 s.
 *
 * @example
 * const ratio = options.ratio ?? DEFAULT_RETRY_BUDGET.ratio; // 0.2
 */
export const DEFAULT_RETRY_BUDGET = frozen({
  /** Retries allowed per first attempt in the window, 0–1. */
  ratio: 0.2,
  /** Retries always allowed per second of window. */
  minRetriesPerSecond: 2,
  /** Length of the sliding window, ms. */
  windowMs: 10_000,
});

/**
 * Retry policy defaults (backoff and budget have their own objects).
 *
 * @example
 * const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts; // 4
 */
export const DEFAULT_RETRY = frozen({
  /** Attempts per operation, the first included; 429s are not counted. */
  maxAttempts: 4,
  /** Longest wait for a rate-limit reset (or a 503's `Retry-After`) an operation accepts, ms. */
  maxRateLimitWaitMs: 60_000,
  /** 429 answers one operation accepts before failing with `RateLimitedError`. */
  maxRateLimitedAttempts: 20,
});

/**
 * Send batching defaults (batching itself is off unless asked for).
 *
 * @example
 * const maxWaitMs = options.maxWaitMs ?? DEFAULT_BATCHING.maxWaitMs; // 20
 */
export const DEFAULT_BATCHING = frozen({
  /** Flush when this many sends are buffered. */
  maxBatchSize: 10,
  /** Flush this long after the first buffered send at the latest, ms. */
  maxWaitMs: 20,
  /** Sends accepted and not yet settled before `sendMessage` refuses more. */
  maxQueued: 1_000,
});

/**
 * `waitForReply` polling defaults.
 *
 * @example
 * const polling = { ...DEFAULT_POLLING, ...options.polling };
 */
export const DEFAULT_POLLING = frozen({
  /** First pause between polls, ms. */
  initialIntervalMs: 250,
  /** Longest pause between polls, ms. */
  maxIntervalMs: 2_000,
  /** Growth of the pause per poll. */
  factor: 1.5,
  /** Default `timeoutMs` of `waitForReply`, ms. */
  replyTimeoutMs: 30_000,
});

/**
 * Longest message content accepted, characters (the API's).
 *
 * @example
 * const max = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH; // 4_000
 */
export const DEFAULT_MAX_MESSAGE_LENGTH = 4_000;

/** An integer ≥ `min` (and ≤ `max` when given). Messages match the scenario model's. */
function intAtLeast(min: number, max?: number) {
  const message =
    max !== undefined
      ? `expected an integer from ${min} to ${max}`
      : min === 1
        ? 'expected a positive integer'
        : `expected an integer ≥ ${min}`;
  const low = min === 1 && max !== undefined ? 'expected a positive integer' : message;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: low })
    .max(max ?? Number.MAX_SAFE_INTEGER, { error: message });
}

const TOO_LONG = `expected a duration of at most 24h (${MAX_DURATION_MS} ms)`;

/** A duration in ms: > 0, or ≥ `min` when given; whole ms when `int`; at most 24 h. */
function msNumber(rule: { min?: number; int?: boolean }) {
  const what = rule.min === undefined ? 'a duration > 0 ms' : `a duration ≥ ${rule.min} ms`;
  const message = rule.int ? `expected ${what}, in whole ms` : `expected ${what}`;
  let n = z.number({ error: message });
  if (rule.int) n = n.int({ error: message });
  n = rule.min === undefined ? n.gt(0, { error: message }) : n.min(rule.min, { error: message });
  return n.max(MAX_DURATION_MS, { error: TOO_LONG });
}

const number = (message: string) => z.number({ error: message });

/**
 * Builds the client settings schema. `ms` wraps every duration field's ms schema (its bounds);
 * the client passes the identity, a scenario a layer that turns `'30s'` into `30_000` first.
 *
 * @example
 * const scenarioClientSchema = buildClientSettingsSchema((ms) => durationSchema.pipe(ms));
 */
export function buildClientSettingsSchema<M extends z.ZodType<number, unknown>>(
  ms: (bounds: z.ZodNumber) => M,
) {
  const windowBudget = z.strictObject({
    /** Starts per window, ≥ 1. */
    limit: intAtLeast(1),
    /** Window length, whole ms ≥ 1. */
    windowMs: ms(msNumber({ min: 1, int: true })),
  });
  const windowOrOff = z.union([z.literal(false), windowBudget], {
    error: 'expected false or {limit, windowMs}',
  });
  return z.strictObject({
    /** Request path: `auto`, `undici`, `h1` or `fetch`. Default `auto`. */
    transport: z
      .enum(['auto', 'undici', 'h1', 'fetch'], { error: "expected 'auto', 'undici', 'h1' or 'fetch'" })
      .optional(),
    /** The client's own budgets, or `false` for none. Default {@link DEFAULT_RATE_LIMIT}. */
    rateLimit: z
      .union(
        [
          z.literal(false),
          z.strictObject({
            /** Attempts on the wire at once, ≥ 1. Default 10. */
            maxConcurrent: intAtLeast(1).optional(),
            /** Per-minute budget or `false`. Default 60 per 60_000 ms. */
            perMinute: windowOrOff.optional(),
            /** Per-hour budget or `false`. Default 1_000 per 3_600_000 ms. */
            perHour: windowOrOff.optional(),
            /** `burst` or `even`. Default `burst` (`even` with `redis`). */
            spacing: z.enum(['burst', 'even'], { error: "expected 'burst' or 'even'" }).optional(),
            /** Operations waiting for the limiter, ≥ 1. Default 10_000. */
            maxQueued: intAtLeast(1).optional(),
            /** Clock-skew margin, ms ≥ 0. Default 50. */
            clockMarginMs: ms(msNumber({ min: 0 })).optional(),
            /** Pause after an unexplained 429, ms ≥ 0. Default 1_000. */
            fallbackPauseMs: ms(msNumber({ min: 0 })).optional(),
          }),
        ],
        { error: 'expected false (no client-side limits) or {maxConcurrent, perMinute, perHour, …}' },
      )
      .optional(),
    /** Retry policy. Defaults {@link DEFAULT_RETRY}, {@link DEFAULT_BACKOFF}, {@link DEFAULT_RETRY_BUDGET}. */
    retry: z
      .strictObject({
        /** Attempts per operation, 1–50 (`1` disables retries). Default 4. */
        maxAttempts: intAtLeast(1, 50).optional(),
        /** Full-jitter backoff; 0 < baseMs ≤ capMs (each against the other's default when left out). */
        backoff: z
          .strictObject({
            /** Upper bound of the first retry's delay, ms > 0. Default 100. */
            baseMs: ms(msNumber({})).optional(),
            /** No delay exceeds this, ms > 0. Default 10_000. */
            capMs: ms(msNumber({})).optional(),
          })
          .superRefine((b, ctx) => {
            const baseMs = b.baseMs ?? DEFAULT_BACKOFF.baseMs;
            const capMs = b.capMs ?? DEFAULT_BACKOFF.capMs;
            if (capMs >= baseMs) return;
            if (b.capMs !== undefined) {
              ctx.addIssue({
                code: 'custom',
                path: ['capMs'],
                message: `expected capMs ≥ baseMs (${baseMs})`,
              });
            } else {
              ctx.addIssue({
                code: 'custom',
                path: ['baseMs'],
                message: `expected baseMs ≤ capMs (default ${capMs}); set capMs too`,
              });
            }
          })
          .optional(),
        /** Retry budget or `false`. Default ratio 0.2, 2 retries/s, 10 s window. */
        budget: z
          .union(
            [
              z.literal(false),
              z.strictObject({
                /** Retries per first attempt, 0–1. Default 0.2. */
                ratio: number('expected a number from 0 to 1')
                  .min(0, { error: 'expected a number from 0 to 1' })
                  .max(1, { error: 'expected a number from 0 to 1' })
                  .optional(),
                /** Retries always allowed per second, ≥ 0. Default 2. */
                minRetriesPerSecond: number('expected a number ≥ 0')
                  .min(0, { error: 'expected a number ≥ 0' })
                  .optional(),
                /** Sliding window, ms ≥ 10 (ten slots). Default 10_000. */
                windowMs: ms(msNumber({ min: 10 })).optional(),
              }),
            ],
            { error: 'expected false or {ratio, minRetriesPerSecond, windowMs}' },
          )
          .optional(),
        /** Longest rate-limit wait an operation accepts, ms ≥ 0. Default 60_000. */
        maxRateLimitWaitMs: ms(msNumber({ min: 0 })).optional(),
        /** 429 answers one operation accepts, ≥ 1. Default 20. */
        maxRateLimitedAttempts: intAtLeast(1).optional(),
      })
      .optional(),
    /** Send batching, or `false`. Default `false`; when on, {@link DEFAULT_BATCHING}. */
    batching: z
      .union(
        [
          z.literal(false),
          z.strictObject({
            /** Flush at this many buffered sends, ≥ 1. Default 10. */
            maxBatchSize: intAtLeast(1).optional(),
            /** Flush this long after the first buffered send, ms ≥ 0. Default 20. */
            maxWaitMs: ms(msNumber({ min: 0 })).optional(),
            /** Unsettled sends before refusing more, ≥ 1. Default 1_000. */
            maxQueued: intAtLeast(1).optional(),
          }),
        ],
        { error: 'expected false or {maxBatchSize, maxWaitMs, maxQueued}' },
      )
      .optional(),
    /** Send an `Idempotency-Key` with every POST and retry ambiguous POSTs. Default false. */
    idempotencyKeys: z.boolean({ error: 'expected true or false' }).optional(),
    /** Keep-alive pool. Default {@link DEFAULT_POOL}. */
    pool: z
      .strictObject({
        /** Most sockets open to the origin at once, ≥ 1. Default 16. */
        connections: intAtLeast(1).optional(),
        /** Idle socket lifetime, ms > 0. Default 4_000. */
        keepAliveTimeoutMs: ms(msNumber({})).optional(),
      })
      .optional(),
    /** Transport timeouts, each ms > 0. Default {@link DEFAULT_TIMEOUTS}. */
    timeouts: z
      .strictObject({
        connectTimeoutMs: ms(msNumber({})).optional(),
        headersTimeoutMs: ms(msNumber({})).optional(),
        bodyTimeoutMs: ms(msNumber({})).optional(),
        attemptTimeoutMs: ms(msNumber({})).optional(),
      })
      .optional(),
    /** `waitForReply` polling. Default {@link DEFAULT_POLLING}. */
    polling: z
      .strictObject({
        /** First pause, ms > 0. Default 250. */
        initialIntervalMs: ms(msNumber({})).optional(),
        /** Longest pause, ms ≥ initialIntervalMs. Default 2_000. */
        maxIntervalMs: ms(msNumber({})).optional(),
        /** Growth per poll, ≥ 1. Default 1.5. */
        factor: number('expected a number ≥ 1').min(1, { error: 'expected a number ≥ 1' }).optional(),
        /** Default reply timeout, ms > 0. Default 30_000. */
        replyTimeoutMs: ms(msNumber({})).optional(),
      })
      .superRefine((p, ctx) => {
        // As before: checked against the initial interval (or its default) only when set.
        const initialMs = p.initialIntervalMs ?? DEFAULT_POLLING.initialIntervalMs;
        if (p.maxIntervalMs !== undefined && p.maxIntervalMs < initialMs) {
          ctx.addIssue({
            code: 'custom',
            path: ['maxIntervalMs'],
            message: `expected maxIntervalMs ≥ initialIntervalMs (${initialMs})`,
          });
        }
      })
      .optional(),
    /** Longest message content accepted, characters ≥ 1. Default 4_000. */
    maxMessageLength: intAtLeast(1).optional(),
  });
}

/**
 * The client's plain-data settings, durations in ms: every option of `NexusClientOptions`
 * except the key, the URL and what is code (a transport object, hooks, clocks and timers, random
 * sources, redis). Unknown fields are refused.
 *
 * @example
 * clientSettingsSchema.safeParse({ retry: { maxRateLimitedAttempts: 0 } }).success // false
 */
export const clientSettingsSchema = buildClientSettingsSchema((ms) => ms);

/** Validated client settings, durations in ms. */
export type ClientSettingsValues = z.output<typeof clientSettingsSchema>;
