import { z } from 'zod';
import { didYouMean } from '../../harness/util/did-you-mean.js';
import { durationSchema } from '../../harness/util/duration.js';
import { intAtLeast } from './executors/common.js';

/**
 * The operations a workload can mix. Each is one logical call of the application (it may take
 * several attempts on the wire):
 * - `createSession`: create a thread.
 * - `sendMessage`: send one user message to the VU's session.
 * - `waitForReply`: send a message, then poll until the assistant's reply arrives.
 * - `conversation`: create a session, then `turns` × (send → wait for the reply).
 * - `getSession`: read the VU's session.
 * - `listMessages`: read one page of the session's messages.
 * - `poll`: read the messages after the last one seen (what a chat UI's polling loop does).
 * - `chat`: `POST /chat` to the chat app (target `app` only) as one of `chat.users` users: the
 *   app finds or creates the user's session, sends the message and waits for the reply.
 *
 * @example
 * for (const op of OP_NAMES) weights[op] ?? 0;
 */
export const OP_NAMES = [
  'createSession',
  'sendMessage',
  'waitForReply',
  'conversation',
  'getSession',
  'listMessages',
  'poll',
  'chat',
] as const;
/** One of {@link OP_NAMES}. */
export type OpName = (typeof OP_NAMES)[number];

const weight = z
  .number({ error: 'expected a weight ≥ 0' })
  .refine((w) => Number.isFinite(w) && w >= 0, { error: 'expected a weight ≥ 0' });

/** ` (did you mean "sendMessage"?)` for a misspelt operation, or `''`. */
function nearOp(key: string): string {
  const near = didYouMean(key, OP_NAMES);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

/**
 * The relative weights of the operations: each iteration picks one op with probability
 * weight ÷ sum (seeded). Unknown ops are named; at least one weight must be > 0.
 */
const mixSchema = z
  .record(z.string(), weight, { error: 'expected an object of operation weights, e.g. {"conversation": 1}' })
  .superRefine((mix, ctx) => {
    for (const key of Object.keys(mix)) {
      if (!(OP_NAMES as readonly string[]).includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown operation${nearOp(key)}; expected one of ${OP_NAMES.join(', ')}`,
        });
      }
    }
  })
  .refine((mix) => Object.values(mix).some((w) => typeof w === 'number' && w > 0), {
    error: 'expected at least one operation with a weight > 0',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .transform((mix) => mix as Partial<Record<OpName, number>>);

const sizeRange = z
  .strictObject({ min: intAtLeast(1), max: intAtLeast(1) })
  .refine((r) => !(typeof r.min === 'number' && typeof r.max === 'number' && r.max < r.min), {
    path: ['max'],
    error: 'expected max ≥ min',
    when: () => true,
  });

/** What the messages a workload sends look like. */
const messageSchema = z.strictObject({
  /** Fixed content of every message. Default: generated text of `sizeChars` characters. */
  content: z.string().min(1, { error: 'expected a non-empty string' }).optional(),
  /** Length of generated content, characters: a number or a range `{min, max}` (seeded). Default 20–200. */
  sizeChars: z
    .union([intAtLeast(1), sizeRange], { error: 'expected a positive integer or {min, max}' })
    .default({ min: 20, max: 200 }),
});

/**
 * The workload: which operations, in what mix, with what messages. Durations accept k6
 * strings or ms.
 *
 * @example
 * workloadSchema.parse({ mix: { conversation: 1, poll: 4 }, conversation: { turns: 2 } })
 */
export const workloadSchema = z.strictObject({
  mix: mixSchema,
  /** `per-vu`: each VU creates one session and reuses it; `per-iteration`: a new one every iteration. Default `per-vu`. */
  sessions: z
    .enum(['per-vu', 'per-iteration'], { error: "expected 'per-vu' or 'per-iteration'" })
    .default('per-vu'),
  conversation: z
    .strictObject({
      /** Send → reply rounds per conversation. Default 3. */
      turns: intAtLeast(1).default(3),
      /** Pause between a reply and the next send, ms. Default 0. */
      thinkTime: durationSchema.default(0),
    })
    .default({ turns: 3, thinkTime: 0 }),
  waitForReply: z
    .strictObject({
      /** Give up waiting for the assistant's reply after this long, ms. Default 30 s. */
      timeout: durationSchema.default(30_000),
    })
    .default({ timeout: 30_000 }),
  listMessages: z
    .strictObject({
      /** Page size. Default 20. */
      limit: intAtLeast(1).max(100, { error: 'expected an integer from 1 to 100' }).default(20),
    })
    .default({ limit: 20 }),
  chat: z
    .strictObject({
      /** Users the `chat` op posts as (`x-user-id: user-0` … `user-<users − 1>`, picked per iteration, seeded). Default 10. */
      users: intAtLeast(1).max(1_000_000, { error: 'expected an integer from 1 to 1,000,000' }).default(10),
    })
    .default({ users: 10 }),
  message: messageSchema.default({ sizeChars: { min: 20, max: 200 } }),
});
/** A parsed workload (durations in ms, defaults applied). */
export type Workload = z.output<typeof workloadSchema>;
/** A workload as authored. */
export type WorkloadInput = z.input<typeof workloadSchema>;
