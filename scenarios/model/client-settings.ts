import type { z } from 'zod';
import { buildClientSettingsSchema } from '../../harness/client/options-schema.js';
import { durationSchema } from '../../harness/util/duration.js';

/**
 * The client settings a scenario may set: the client's own settings schema (same names, same
 * bounds, see `harness/client/options-schema.ts`), with a duration layer in front of each ms
 * field so it also accepts k6 strings (`'2s'`). Anything left out keeps the client's default.
 *
 * @example
 * clientSettingsSchema.parse({ rateLimit: { perMinute: { limit: 10, windowMs: '2s' } }, retry: { maxAttempts: 5 }, idempotencyKeys: true })
 */
export const clientSettingsSchema = buildClientSettingsSchema((ms) => durationSchema.pipe(ms));
/** Parsed client settings (durations in ms). */
export type ClientSettings = z.output<typeof clientSettingsSchema>;
/** Client settings as authored. */
export type ClientSettingsInput = z.input<typeof clientSettingsSchema>;
