import { z } from 'zod';
import type { NexusClientOptions } from '../../harness/client/options.js';
import { intAtLeast } from '../../harness/engine/executors/base.js';
import { durationSchema } from '../../harness/engine/executors/duration.js';

const windowBudget = z.strictObject({
  limit: intAtLeast(1),
  windowMs: durationSchema,
});
const windowOrOff = z.union([z.literal(false), windowBudget], {
  error: 'expected false or {limit, windowMs}',
});
const ratio = z
  .number({ error: 'expected a number from 0 to 1' })
  .min(0, { error: 'expected a number from 0 to 1' })
  .max(1, { error: 'expected a number from 0 to 1' });
const positive = z
  .number({ error: 'expected a positive number' })
  .refine((v) => Number.isFinite(v) && v > 0, { error: 'expected a positive number' });

/**
 * The client settings a scenario may set: a validated subset of `NexusClientOptions` with the
 * same names (durations also accept k6 strings). Anything left out keeps the client's default.
 *
 * @example
 * clientSettingsSchema.parse({ rateLimit: { perMinute: { limit: 10, windowMs: '2s' } }, retry: { maxAttempts: 5 }, idempotencyKeys: true })
 */
export const clientSettingsSchema = z.strictObject({
  transport: z
    .enum(['auto', 'undici', 'fetch'], { error: "expected 'auto', 'undici' or 'fetch'" })
    .optional(),
  rateLimit: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          maxConcurrent: intAtLeast(1).optional(),
          perMinute: windowOrOff.optional(),
          perHour: windowOrOff.optional(),
          spacing: z.enum(['burst', 'even'], { error: "expected 'burst' or 'even'" }).optional(),
          maxQueued: intAtLeast(1).optional(),
          clockMarginMs: durationSchema.optional(),
          fallbackPauseMs: durationSchema.optional(),
        }),
      ],
      { error: 'expected false (no client-side limits) or {maxConcurrent, perMinute, perHour, …}' },
    )
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: intAtLeast(1).max(50, { error: 'expected an integer from 1 to 50' }).optional(),
      backoff: z
        .strictObject({ baseMs: durationSchema.optional(), capMs: durationSchema.optional() })
        .optional(),
      budget: z
        .union(
          [
            z.literal(false),
            z.strictObject({
              ratio: ratio.optional(),
              minRetriesPerSecond: z
                .number({ error: 'expected a number ≥ 0' })
                .min(0, { error: 'expected a number ≥ 0' })
                .optional(),
              windowMs: durationSchema.optional(),
            }),
          ],
          { error: 'expected false or {ratio, minRetriesPerSecond, windowMs}' },
        )
        .optional(),
      maxRateLimitWaitMs: durationSchema.optional(),
      maxRateLimitedAttempts: intAtLeast(0).optional(),
    })
    .optional(),
  batching: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          maxBatchSize: intAtLeast(1).optional(),
          maxWaitMs: durationSchema.optional(),
          maxQueued: intAtLeast(1).optional(),
        }),
      ],
      { error: 'expected false or {maxBatchSize, maxWaitMs, maxQueued}' },
    )
    .optional(),
  idempotencyKeys: z.boolean({ error: 'expected true or false' }).optional(),
  pool: z
    .strictObject({
      /** Most sockets open to the origin at once. */
      connections: intAtLeast(1).optional(),
      keepAliveTimeoutMs: durationSchema.optional(),
    })
    .optional(),
  timeouts: z
    .strictObject({
      connectTimeoutMs: durationSchema.optional(),
      headersTimeoutMs: durationSchema.optional(),
      bodyTimeoutMs: durationSchema.optional(),
      attemptTimeoutMs: durationSchema.optional(),
    })
    .optional(),
  polling: z
    .strictObject({
      initialIntervalMs: durationSchema.optional(),
      maxIntervalMs: durationSchema.optional(),
      factor: positive.optional(),
      replyTimeoutMs: durationSchema.optional(),
    })
    .optional(),
  maxMessageLength: intAtLeast(1).optional(),
});
/** Parsed client settings (durations in ms). */
export type ClientSettings = z.output<typeof clientSettingsSchema>;
/** Client settings as authored. */
export type ClientSettingsInput = z.input<typeof clientSettingsSchema>;

/**
 * The client options these settings stand for; the caller adds `apiKey`, `baseUrl`, hooks and
 * clocks. Fields not set are left out so the client's own defaults apply.
 *
 * @example
 * createNexusClient({ ...toClientOptions(scenario.client), apiKey, baseUrl, hooks });
 */
export function toClientOptions(settings: ClientSettings): NexusClientOptions {
  const options: NexusClientOptions = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return options;
}
