import { z } from 'zod';
import { ConfigError, parseWithSchema } from '../../harness/util/validation.js';
import { PUBLIC_DEMO_KEY } from './keys.js';
import { ROUTE_NAMES } from './types.js';

/**
 * Longest delay any distribution, fault or reply may take, ms: one day (and under Node's
 * 2^31-1 ms timer limit, past which a timer would fire at once). A lognormal draw beyond it
 * is cut to it.
 */
export const MAX_DELAY_MS = 86_400_000;

/**
 * Longest span of simulated time the configuration or admin API may name in one value (a
 * window length, a session TTL, a fault window's end, one `advanceMs`), ms: ten years. Kept
 * far from the ±8.64e15 ms a `Date` can hold, so no timestamp the mock prints is invalid.
 */
export const MAX_SPAN_MS = 10 * 365.25 * 86_400_000;

const delayMs = () => z.number().min(0).max(MAX_DELAY_MS);
const spanMs = () => z.number().int().min(1).max(MAX_SPAN_MS);

/**
 * A delay distribution, in milliseconds (each value at most {@link MAX_DELAY_MS}). Used for the assistant's reply delay and for
 * injected latency.
 * - `fixed`: always `ms`.
 * - `uniform`: uniformly between `minMs` and `maxMs`.
 * - `lognormal`: median `medianMs`, spread `sigma` (the log-space standard deviation); long tail.
 */
export const distributionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), ms: delayMs() }),
  z
    .strictObject({ type: z.literal('uniform'), minMs: delayMs(), maxMs: delayMs() })
    .refine((d) => d.maxMs >= d.minMs, { message: 'maxMs must be ≥ minMs', path: ['maxMs'] }),
  z.strictObject({
    type: z.literal('lognormal'),
    medianMs: delayMs().positive(),
    sigma: z.number().min(0).max(5),
  }),
]);
export type Distribution = z.output<typeof distributionSchema>;

const windowSchema = z
  .strictObject({
    /** Start of the window, ms after the simulator started (or was last reset). */
    startMs: z.number().min(0).max(MAX_SPAN_MS),
    /** End of the window (exclusive), ms after the simulator started. */
    endMs: z.number().min(0).max(MAX_SPAN_MS),
  })
  .refine((w) => w.endMs > w.startMs, { message: 'endMs must be > startMs', path: ['endMs'] });

/** Fields every fault rule shares. */
const ruleBase = {
  /** Which route the rule applies to; `*` (the default) for all four. */
  route: z.enum([...ROUTE_NAMES, '*']).default('*'),
  /** Chance that a matching request gets the fault, 0–1. Default 1. */
  probability: z.number().min(0).max(1).default(1),
  /** Only apply between these times (relative to the simulator's start). */
  window: windowSchema.optional(),
  /**
   * Apply the fault after the request took effect (thread created, message stored), so the
   * client cannot tell whether its POST happened. Default false: the request is dropped
   * before it has any effect.
   */
  afterEffect: z.boolean().default(false),
};

const retryAfterSec = z.number().int().min(0).max(86_400);

/** One fault rule. Rules are checked in order; all matching `latency` rules add up, and the first other rule that fires wins. */
export const faultRuleSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...ruleBase, type: z.literal('latency'), delay: distributionSchema }),
  z.strictObject({
    ...ruleBase,
    type: z.literal('error'),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(503),
    /** Send `Retry-After: N` with the error. Absent: no header. */
    retryAfterSec: retryAfterSec.optional(),
  }),
  z.strictObject({ ...ruleBase, type: z.literal('reset') }),
  z.strictObject({ ...ruleBase, type: z.literal('empty') }),
  z.strictObject({ ...ruleBase, type: z.literal('stall') }),
  z.strictObject({
    ...ruleBase,
    type: z.literal('dribble'),
    /** Bytes written per tick. Default 8. */
    chunkBytes: z.number().int().min(1).default(8),
    /** Time between ticks, ms (at most 60 000). Default 50. */
    intervalMs: z.number().min(0).max(60_000).default(50),
  }),
  z.strictObject({ ...ruleBase, type: z.literal('truncate') }),
  z.strictObject({ ...ruleBase, type: z.literal('malformed') }),
  z.strictObject({
    ...ruleBase,
    type: z.literal('outage'),
    window: windowSchema,
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(503),
    retryAfterSec: retryAfterSec.optional(),
  }),
  z.strictObject({
    ...ruleBase,
    type: z.literal('rate-limit'),
    /** The forced 429's `Retry-After` and reset distance, seconds. Default 1. */
    retryAfterSec: retryAfterSec.default(1),
  }),
]);
export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** A request window whose fields default to the real API's values for it. */
const requestWindow = (limit: number, windowMs: number) =>
  z
    .strictObject({
      /** Requests allowed per window. */
      limit: z.number().int().min(1).default(limit),
      /** Window length, ms (at most {@link MAX_SPAN_MS}). Windows are fixed and aligned to multiples of this on the clock. */
      windowMs: spanMs().default(windowMs),
    })
    .default({ limit, windowMs });

/** The per-key limits of the Nexus API. Real values are the defaults. */
export const limitsSchema = z.strictObject({
  perMinute: requestWindow(60, 60_000),
  perHour: requestWindow(1_000, 3_600_000),
  /** Threads per key that may be ACTIVE at once. */
  concurrentSessions: z.number().int().min(1).default(100),
  /** User messages one thread accepts. */
  messagesPerSession: z.number().int().min(1).default(10_000),
});
export type LimitsConfig = z.output<typeof limitsSchema>;

function limitsOrOff() {
  return z.union([z.literal(false), limitsSchema], {
    error:
      'expected false (no limits) or an object {perMinute, perHour, concurrentSessions, messagesPerSession}',
  });
}

/**
 * TEST HOOK, off by default: makes the mock break the API contract on purpose, so a test can
 * show that provider verification (`nexus-harness contracts verify`) catches a drifted
 * provider. It touches only successful (2xx) answers of one route: `renameField` renames a
 * top-level field of the JSON body (of every element, for the message list), `status`
 * replaces the status code. Not for any other use.
 */
export const contractDriftSchema = z.strictObject({
  /** The route whose successful answers drift. */
  route: z.enum(ROUTE_NAMES as [string, ...string[]]),
  /** Rename this top-level body field, e.g. `{ from: 'createdAt', to: 'created_at' }`. */
  renameField: z.strictObject({ from: z.string().min(1), to: z.string().min(1) }).optional(),
  /** Answer with this status instead of the real one. */
  status: z.number().int().min(200).max(599).optional(),
});
export type ContractDrift = z.output<typeof contractDriftSchema>;

/**
 * What the mock keeps in memory, so that a long run stays in bounded memory. The defaults are
 * far above what a short test reaches, and every cap is counted exactly (never exceeded).
 */
export const retentionSchema = z.strictObject({
  /**
   * Messages kept per thread, the newest; older ones are forgotten. `messageCount` and the rest
   * of `GET /thread/{id}` stay exact; the message list pages over the kept ones, and a cursor
   * naming a forgotten message acts as one older than all of them (`after` it: from the oldest
   * kept; `before` it: an empty page). Default 1,000.
   */
  maxMessagesPerThread: z.number().int().min(1).default(1_000),
  /**
   * Threads kept, over all keys. One more forgets the least recently used thread last seen
   * `EXPIRED` or `CLOSED`, else the least recently used thread; a forgotten thread answers 404,
   * as a thread that never existed. Default 10,000.
   */
  maxThreads: z.number().int().min(1).default(10_000),
  /** `Idempotency-Key` outcomes kept, over all keys; one more forgets the oldest. Default 100,000. */
  maxIdempotencyKeys: z.number().int().min(1).default(100_000),
  /**
   * How long an `Idempotency-Key` outcome is kept, ms (at most {@link MAX_SPAN_MS}); a repeat
   * after that is a new request. Default 24 h.
   */
  idempotencyTtlMs: spanMs().default(86_400_000),
});
export type RetentionConfig = z.output<typeof retentionSchema>;

/** The whole configuration of one simulator. Every field has a default. */
export const mockConfigSchema = z.strictObject({
  /** Seeds the assistant and the fault dice: the same seed gives the same run. */
  seed: z.number().int().default(1),
  /** The API keys the mock accepts (header `api-key`). */
  apiKeys: z.array(z.string().min(1)).min(1).default([PUBLIC_DEMO_KEY]),
  /** Request limits, or `false` for none (raw throughput runs). Message length is always checked. */
  limits: limitsOrOff().default(() => limitsSchema.parse({})),
  /** Send `Retry-After` (seconds) on 429s. The real API only documents `X-RateLimit-*`. */
  retryAfterHeader: z.boolean().default(true),
  /** Maximum characters of a message's content. */
  maxMessageLength: z.number().int().min(1).default(4_000),
  /** Inactivity after which an ACTIVE thread becomes EXPIRED, ms (at most {@link MAX_SPAN_MS}). Default 24 h. */
  sessionTtlMs: spanMs().default(86_400_000),
  assistant: z
    .strictObject({
      /** Reply delay after a user message. Default uniform 1–3 s, as the real API. */
      delay: distributionSchema.default({ type: 'uniform', minMs: 1_000, maxMs: 3_000 }),
    })
    .default({ delay: { type: 'uniform', minMs: 1_000, maxMs: 3_000 } }),
  faults: z.array(faultRuleSchema).default([]),
  /** Largest request body a face accepts, bytes (1 KiB to 16 MiB); larger gets 413. Default 64 KiB. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1_024)
    .max(16 * 1_024 * 1_024)
    .default(64 * 1_024),
  /** Ledger capacity (requests and effects together). Past it entries are counted as dropped. */
  ledgerCapacity: z.number().int().min(0).default(2_000_000),
  /** What is kept in memory: messages per thread, threads, idempotency outcomes. See {@link retentionSchema}. */
  retention: retentionSchema.default(() => retentionSchema.parse({})),
});

/**
 * What the simulator accepts: {@link mockConfigSchema} plus the `contractDrift` test hook. The
 * hook is kept out of `mockConfigSchema` so scenario files (and their JSON Schema) never offer it.
 */
const simulatorConfigSchema = mockConfigSchema.extend({
  /** Test hook, absent by default: see {@link contractDriftSchema}. */
  contractDrift: contractDriftSchema.optional(),
});
export type MockConfig = z.output<typeof simulatorConfigSchema>;
export type MockConfigInput = z.input<typeof simulatorConfigSchema>;

/**
 * Validates a mock configuration and fills in defaults; throws a `ConfigError` listing every
 * problem.
 *
 * @example
 * const config = resolveMockConfig({ seed: 7, limits: { perMinute: { limit: 10, windowMs: 2_000 } } });
 */
export function resolveMockConfig(input: unknown = {}): MockConfig {
  try {
    return parseWithSchema(simulatorConfigSchema, input, 'mock configuration');
  } catch (error) {
    throw error instanceof ConfigError ? withoutKeyValues(error) : error;
  }
}

/**
 * The same error with the problems under `apiKeys` told without the value found there: a
 * problem message quotes what it found, and under `apiKeys` that may be a key, which must
 * reach no admin response, log or terminal.
 */
function withoutKeyValues(error: ConfigError): ConfigError {
  if (!error.problems.some((p) => p.path.startsWith('apiKeys'))) return error;
  const problems = error.problems.map((p) =>
    p.path.startsWith('apiKeys')
      ? {
          path: p.path,
          message: 'expected a non-empty array of non-empty strings (value not shown: it may be a key)',
        }
      : p,
  );
  return new ConfigError('mock configuration', problems);
}

/** Validates a list of fault rules on its own (the admin API's `PUT /__admin/faults`). */
export function resolveFaultRules(input: unknown): FaultRule[] {
  return parseWithSchema(z.array(faultRuleSchema), input, 'fault rules');
}

/** Validates a limits object on its own, or `false` for none. */
export function resolveLimits(input: unknown): LimitsConfig | false {
  return parseWithSchema(limitsOrOff(), input, 'limits');
}
