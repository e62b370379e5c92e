import { z } from 'zod';
import { ConfigError, parseWithSchema } from '../../harness/util/validation.js';
import { fingerprintKey, shownKey } from './keys.js';

const seedMessageSchema = z.strictObject({
  id: z.string().min(1).optional(),
  type: z.enum(['user', 'assistant', 'tool', 'system']),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  toolCallId: z.string().optional(),
});

/**
 * A thread to create directly through the admin API, in any state: the provider states of
 * contract verification ("an expired session exists", "a session with 3 messages exists").
 */
export const seedThreadSchema = z.strictObject({
  /** The key that owns the thread; default: the first configured key. */
  apiKey: z.string().min(1).optional(),
  /** The thread id; default: a fresh seeded UUID. An existing thread with this id is replaced. */
  id: z.string().min(1).max(200).optional(),
  status: z.enum(['ACTIVE', 'EXPIRED', 'CLOSED']).default('ACTIVE'),
  topic: z.string().nullable().optional(),
  messages: z.array(seedMessageSchema).default([]),
});
export type SeedThreadInput = z.input<typeof seedThreadSchema>;
export type SeedThread = z.output<typeof seedThreadSchema> & { apiKey: string };

/**
 * Validates a seed request; the key must be one the simulator accepts, given as the key or as
 * its fingerprint (as the public view of the configuration shows it). The error for an
 * unknown key names the accepted keys as shown publicly, never the keys.
 */
export function resolveSeedThread(input: unknown, apiKeys: readonly string[]): SeedThread {
  const spec = parseWithSchema(seedThreadSchema, input, 'seed thread');
  const given = spec.apiKey ?? apiKeys[0]!;
  const apiKey = apiKeys.includes(given) ? given : apiKeys.find((key) => fingerprintKey(key) === given);
  if (apiKey === undefined) {
    throw new ConfigError('seed thread', [
      {
        path: 'apiKey',
        message: `not a key this mock accepts (as key or fingerprint); accepted: ${apiKeys.map(shownKey).join(', ')}`,
      },
    ]);
  }
  return { ...spec, apiKey };
}
