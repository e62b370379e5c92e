import { z } from 'zod';
import { durationSchema } from '../../harness/util/duration.js';
import { intAtLeast } from './executors/common.js';

/**
 * The chat app's settings a scenario may set, for `target: 'app'` when the harness starts the
 * app itself (with `--app-url` the app is someone else's and these are not applied):
 * - `limits`: the app's per-user limits (the guide's 10 messages a minute, 100 an hour and 5
 *   new sessions a day by default). A scenario's load must fit them, or spread over enough
 *   users (`workload.chat.users`), or its chats are refused with 429s.
 * - `keyGraceMs`: after a key rotation, how long the app may still use the old key for calls
 *   already under way (the app's default when absent).
 *
 * @example
 * appSettingsSchema.parse({ limits: { messagesPerMinute: 600 }, keyGraceMs: '2s' })
 */
export const appSettingsSchema = z.strictObject({
  limits: z
    .strictObject({
      messagesPerMinute: intAtLeast(1).optional(),
      messagesPerHour: intAtLeast(1).optional(),
      sessionsPerDay: intAtLeast(1).optional(),
    })
    .optional(),
  keyGraceMs: durationSchema.optional(),
});
/** Parsed app settings (durations in ms). */
export type AppSettings = z.output<typeof appSettingsSchema>;
/** App settings as authored. */
export type AppSettingsInput = z.input<typeof appSettingsSchema>;
