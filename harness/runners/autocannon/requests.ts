/**
 * A scenario's op mix as autocannon requests: which ops one fixed HTTP request can express,
 * their bytes, and the order a connection cycles through them. Pure: no I/O, no autocannon.
 */
import type { Workload } from '../../../scenarios/model/workload.js';
import { createMessageText } from '../../engine/workload/message-text.js';
import { UsageError } from '../../util/errors.js';
import { seededRandom } from '../../util/random.js';

/** The API ops `blast` can send: each is one request whose bytes are fixed once its thread is known. */
export const API_BLAST_OPS = ['createSession', 'getSession', 'sendMessage', 'listMessages'] as const;
/**
 * The ops `blast` can send: the API's, and `chat`, one `POST /chat` to the chat app (target
 * `app`, chat-requests.ts), which never shares a blast with the API's (another origin).
 */
export const BLAST_OPS = [...API_BLAST_OPS, 'chat'] as const;
/** One of {@link BLAST_OPS}. */
export type BlastOp = (typeof BLAST_OPS)[number];

/**
 * Why an op of the mix cannot be one autocannon request (autocannon replays fixed requests and
 * keeps no per-op state between them).
 */
const WHY_NOT: Readonly<Record<string, string>> = {
  waitForReply: 'it polls until the reply arrives, a loop of requests whose end depends on the answers',
  conversation: 'it is a session plus send → reply-wait turns, many requests with waits between them',
  poll: 'it reads after the newest message it has seen, a cursor that changes with each answer',
};

/** One autocannon request, as its `requests` array takes it. */
export interface BlastRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One slot of the cycle a connection repeats: an op, and for `sendMessage` the index of its text. */
export interface BlastSlot {
  op: BlastOp;
  /** Which of the message texts a `sendMessage` slot sends (0 for the other ops). */
  text: number;
}

/** Most slots in a cycle: enough to keep a 1:100 mix exact, few enough to build per connection. */
const MAX_SLOTS = 200;

/**
 * Checks that every op with a weight > 0 can be sent by `blast`, and returns the mix's weights
 * of those. Throws a `UsageError` naming every op it cannot send and why, with the remedy, and
 * one for `chat` beside API ops (the chat op goes to the app, the others to the API: one
 * autocannon run has one origin).
 *
 * @example
 * blastWeights({ getSession: 1, sendMessage: 3 }) // { getSession: 1, sendMessage: 3 }
 * blastWeights({ chat: 1 }) // { chat: 1 }
 * blastWeights({ poll: 1 }) // throws: Failed to blast: op poll (…) cannot be one autocannon request …
 * blastWeights({ chat: 1, getSession: 1 }) // throws: Failed to blast: op chat goes to the chat app …
 */
export function blastWeights(mix: Workload['mix']): Partial<Record<BlastOp, number>> {
  const weights: Partial<Record<BlastOp, number>> = {};
  const refused: string[] = [];
  for (const [op, weight] of Object.entries(mix)) {
    if (!(weight > 0)) continue;
    if ((BLAST_OPS as readonly string[]).includes(op)) weights[op as BlastOp] = weight;
    else refused.push(`${op} (${WHY_NOT[op] ?? 'it is not a single request'})`);
  }
  if (refused.length > 0) {
    throw new UsageError(
      `Failed to blast: ${refused.length === 1 ? 'op' : 'ops'} ${refused.join('; ')} cannot be one autocannon request. ` +
        `Use \`nexus-harness run\` for them, or give blast a mix of ${API_BLAST_OPS.join(', ')} only (--mix 'getSession=1,sendMessage=3'), or chat alone (--target app).`,
    );
  }
  const api = API_BLAST_OPS.filter((op) => weights[op] !== undefined);
  if (weights.chat !== undefined && api.length > 0) {
    throw new UsageError(
      `Failed to blast: op chat goes to the chat app and ${api.join(', ')} to the API, and one autocannon run sends to one origin. ` +
        "Blast them apart (--mix chat=1 --target app, and --mix 'getSession=1' against the mock), or use `nexus-harness run`, which sends both.",
    );
  }
  return weights;
}

/**
 * Integer slot counts for `weights` (largest remainder over at most {@link MAX_SLOTS} slots;
 * integer weights that fit are kept as they are), then an interleaved order (smooth weighted
 * round-robin, nginx's), so a connection's cycle mixes the ops instead of running them in blocks.
 *
 * @example
 * blastCycle({ getSession: 1, sendMessage: 2 }).map((s) => s.op) // ['sendMessage', 'getSession', 'sendMessage']
 */
export function blastCycle(weights: Partial<Record<BlastOp, number>>): BlastSlot[] {
  const entries = BLAST_OPS.filter((op) => (weights[op] ?? 0) > 0).map((op) => [op, weights[op]!] as const);
  if (entries.length === 0) throw new UsageError('Failed to blast: the mix has no op with a weight > 0.');
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const integral = entries.every(([, w]) => Number.isInteger(w)) && total <= MAX_SLOTS;
  const counts = integral ? entries.map(([, w]) => w) : largestRemainder(entries.map(([, w]) => w / total));
  const slots: BlastSlot[] = [];
  const current = counts.map(() => 0);
  const sum = counts.reduce((a, b) => a + b, 0);
  const texts = new Map<BlastOp, number>();
  for (let n = 0; n < sum; n++) {
    let best = -1;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      current[i]! += counts[i]!;
      if (best === -1 || current[i]! > current[best]!) best = i;
    }
    current[best]! -= sum;
    const op = entries[best]![0];
    const text = texts.get(op) ?? 0;
    texts.set(op, text + 1);
    slots.push({ op, text: op === 'sendMessage' ? text : 0 });
  }
  return slots;
}

/** `shares` (summing to 1) as integer counts summing to MAX_SLOTS, each share > 0 getting ≥ 1. */
function largestRemainder(shares: readonly number[]): number[] {
  const exact = shares.map((s) => s * MAX_SLOTS);
  const counts = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = MAX_SLOTS - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]! += 1;
  return counts;
}

/** What the request bytes of a blast need besides the cycle. */
export interface BlastRequestContext {
  /** Base path of the API without a trailing slash, e.g. `/api/public`. */
  basePath: string;
  apiKey: string;
  workload: Workload;
  /** Seeds the message texts. */
  seed: number;
}

/**
 * The requests of one connection: its cycle with `threadId` in the paths (the thread it was
 * given in the setup; `undefined` when no op of the cycle needs one), rotated by `offset` so
 * that connections do not all send the same op at the same moment.
 *
 * @example
 * const reqs = blastRequests(blastCycle({ getSession: 1 }), 't-1', 0, { basePath: '/api/public', apiKey: 'k', workload, seed: 1 });
 * reqs[0] // { method: 'GET', path: '/api/public/thread/t-1', headers: { 'api-key': 'k', accept: 'application/json' } }
 */
export function blastRequests(
  cycle: readonly BlastSlot[],
  threadId: string | undefined,
  offset: number,
  context: BlastRequestContext,
): BlastRequest[] {
  const get = { 'api-key': context.apiKey, accept: 'application/json' };
  const post = { ...get, 'content-type': 'application/json' };
  const threads = `${context.basePath}/thread`;
  const thread = threadId === undefined ? undefined : `${threads}/${encodeURIComponent(threadId)}`;
  const needThread = (op: BlastOp): string => {
    if (thread === undefined)
      throw new Error(`Failed to build a ${op} request: no thread was set up for it.`);
    return thread;
  };
  // One text per sendMessage slot, the same on every connection: seeded, so runs repeat.
  const text = createMessageText(context.workload.message);
  const rand = seededRandom(context.seed);
  const texts = cycle.filter((s) => s.op === 'sendMessage').map(() => text(rand));
  const built = cycle.map((slot): BlastRequest => {
    if (slot.op === 'createSession') return { method: 'POST', path: threads, headers: post, body: '{}' };
    if (slot.op === 'chat')
      throw new Error('Failed to build a chat request here: it goes to the app (chatRequests).');
    const path = needThread(slot.op);
    if (slot.op === 'getSession') return { method: 'GET', path, headers: get };
    if (slot.op === 'listMessages') {
      return {
        method: 'GET',
        path: `${path}/messages?limit=${context.workload.listMessages.limit}`,
        headers: get,
      };
    }
    return {
      method: 'POST',
      path: `${path}/messages`,
      headers: post,
      body: JSON.stringify({ content: texts[slot.text] }),
    };
  });
  return rotate(built, offset);
}

/**
 * `items` rotated left by `offset` (any integer): what connection `offset` cycles through.
 *
 * @example
 * rotate(['a', 'b', 'c'], 1) // ['b', 'c', 'a']
 */
export function rotate<T>(items: readonly T[], offset: number): T[] {
  if (items.length === 0) return [];
  const k = ((offset % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Whether any slot of `cycle` needs a thread set up first (a chat's thread is the app's business). */
export function needsThreads(cycle: readonly BlastSlot[]): boolean {
  return cycle.some((s) => s.op !== 'createSession' && s.op !== 'chat');
}
