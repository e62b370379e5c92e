import { z } from 'zod';
import { parseWithSchema } from '../../harness/util/validation.js';

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

/** Validates a seed request; the key must be one the simulator accepts. */
export function resolveSeedThread(input: unknown, apiKeys: readonly string[]): SeedThread {
  const spec = parseWithSchema(seedThreadSchema, input, 'seed thread');
  const apiKey = spec.apiKey ?? apiKeys[0]!;
  if (!apiKeys.includes(apiKey)) {
    parseWithSchema(
      z.strictObject({ apiKey: z.enum(apiKeys as [string, ...string[]]) }),
      { apiKey },
      'seed thread',
    );
  }
  return { ...spec, apiKey };
}
