import type { MessageType, MessageView, ThreadStatus, ThreadView } from './types.js';

/** A stored message. `createdAt` is kept as ms; views format it on the way out. */
export interface StoredMessage {
  id: string;
  type: MessageType;
  content: string;
  createdAtMs: number;
  metadata?: Record<string, unknown>;
  toolCallId?: string;
}

/** An assistant reply that is due at `dueAtMs` but not yet stored. */
interface PendingReply {
  dueAtMs: number;
  content: string;
}

/**
 * A thread and its messages. Replies are stored lazily, when the thread is next touched.
 *
 * Only the newest `maxMessages` messages are kept: every message gets a number, counting from 0
 * in the order stored, and message `n` sits in slot `n % maxMessages` of the message arrays, so
 * storing one more past the cap overwrites the oldest (a ring; until it is full, slots are in
 * order). A message is kept as one slot in each of four arrays (no object per message, its time
 * an unboxed double): its id, type and content strings are the only per-message allocations,
 * and an assistant's canned content is shared. Everything the API reports about the thread
 * (`messageCount`, `lastMessageAt`, `topic`, the status) is kept apart from the messages, so it
 * stays exact.
 */
export interface StoredThread {
  id: string;
  keyId: string;
  topic: string | null;
  createdAtMs: number;
  /** Last message (user or assistant) or creation: what expiry counts from. */
  lastActivityMs: number;
  lastMessageMs: number | null;
  closed: boolean;
  /** Ids of the retained messages, a ring of at most `maxMessages` slots (see above). */
  ids: string[];
  /** Types of the retained messages, slot by slot. */
  types: MessageType[];
  /** Contents of the retained messages, slot by slot. */
  contents: string[];
  /** `createdAt` of the retained messages in ms, slot by slot (a double array: no boxed numbers). */
  times: number[];
  /** `metadata` / `toolCallId` of the few messages that have them (seeded ones), by message number. */
  extras: Map<number, Pick<StoredMessage, 'metadata' | 'toolCallId'>> | null;
  /** Messages ever stored in the thread, retained or not: what `messageCount` reports. */
  messageCount: number;
  /** The most messages kept; older ones are forgotten. */
  maxMessages: number;
  /** Message id → its number, for cursors: retained messages only. */
  positions: Map<string, number>;
  /** Sorted by `dueAtMs`, earliest first. */
  pending: PendingReply[];
  userMessages: number;
  metadata: Record<string, unknown>;
  /** `createdAt` as ISO text, formatted once. */
  createdAtIso: string;
  /**
   * The serialised `GET /thread/{id}` view and the status it was made with: a thread is read
   * far more often than it changes, so the hot path re-serialises only after a change.
   */
  viewJson: string | null;
  viewStatus: ThreadStatus | null;
}

const TOPIC_LENGTH = 60;

/** Every thread's `metadata`: one frozen object shared by all, not one per thread. */
const THREAD_METADATA: Readonly<Record<string, unknown>> = Object.freeze({
  agentId: 'mock-agent',
  integrationId: 'mock-integration',
});

/** Shorter strings are copied by `slice` (V8's `SlicedString::kMinLength` is 13). */
const SLICE_MIN_LENGTH = 13;

/**
 * Creates an empty, ACTIVE thread that keeps at most `maxMessages` messages (default: no cap).
 *
 * @example
 * const thread = newThread('t1', 'k_abc', Date.now(), 1_000);
 */
export function newThread(
  id: string,
  keyId: string,
  now: number,
  maxMessages = Number.MAX_SAFE_INTEGER,
): StoredThread {
  return {
    id,
    keyId,
    topic: null,
    createdAtMs: now,
    lastActivityMs: now,
    lastMessageMs: null,
    closed: false,
    ids: [],
    types: [],
    contents: [],
    times: [],
    extras: null,
    messageCount: 0,
    maxMessages,
    positions: new Map(),
    pending: [],
    userMessages: 0,
    metadata: THREAD_METADATA,
    createdAtIso: new Date(now).toISOString(),
    viewJson: null,
    viewStatus: null,
  };
}

/**
 * Appends a message and updates the thread's activity. Past `maxMessages` the oldest retained
 * message is forgotten (its slot and its cursor); `messageCount` counts it still.
 *
 * @example
 * appendMessage(thread, { id: 'm1', type: 'user', content: 'hi', createdAtMs: Date.now() });
 */
export function appendMessage(thread: StoredThread, message: StoredMessage): void {
  thread.viewJson = null;
  const n = thread.messageCount++;
  const slot = n % thread.maxMessages;
  if (n >= thread.maxMessages) {
    const gone = n - thread.maxMessages;
    const goneId = thread.ids[slot]!;
    // A duplicate id (seeded threads may have them) points at its newest copy: keep that one.
    if (thread.positions.get(goneId) === gone) thread.positions.delete(goneId);
    thread.extras?.delete(gone);
  }
  thread.ids[slot] = message.id;
  thread.types[slot] = message.type;
  thread.contents[slot] = message.content;
  thread.times[slot] = message.createdAtMs;
  if (message.metadata !== undefined || message.toolCallId !== undefined) {
    thread.extras ??= new Map();
    thread.extras.set(n, {
      ...(message.metadata !== undefined && { metadata: message.metadata }),
      ...(message.toolCallId !== undefined && { toolCallId: message.toolCallId }),
    });
  }
  thread.positions.set(message.id, n);
  thread.lastActivityMs = Math.max(thread.lastActivityMs, message.createdAtMs);
  thread.lastMessageMs = message.createdAtMs;
  if (message.type === 'user') {
    thread.userMessages++;
    if (thread.topic === null) thread.topic = detached(message.content.slice(0, TOPIC_LENGTH));
  }
}

/**
 * The string's characters in a string of their own: V8's `slice` of 13 or more characters
 * keeps the whole parent alive, and a topic must not keep a 4,000-character first message in
 * memory after the message itself is forgotten. JSON keeps lone surrogates, so the copy is exact.
 */
function detached(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** The number of the oldest retained message (0 until the thread has forgotten any). */
export function oldestRetained(thread: StoredThread): number {
  return Math.max(0, thread.messageCount - thread.maxMessages);
}

/** The retained messages, oldest first (made on demand: they are not kept as objects). */
export function retainedMessages(thread: StoredThread): StoredMessage[] {
  const out: StoredMessage[] = [];
  for (let n = oldestRetained(thread); n < thread.messageCount; n++) {
    const slot = n % thread.maxMessages;
    out.push({
      id: thread.ids[slot]!,
      type: thread.types[slot]!,
      content: thread.contents[slot]!,
      createdAtMs: thread.times[slot]!,
      ...thread.extras?.get(n),
    });
  }
  return out;
}

/**
 * The number of the message a list cursor (`after` / `before`) names, or `undefined` if the
 * thread never had it. Once the thread has forgotten messages, an id it does not retain is
 * taken as a forgotten one (older than every retained message; forgotten ids are not kept, so
 * they cannot be told from unknown ones): `after` it pages from the oldest retained message,
 * `before` it gives an empty page.
 *
 * @example
 * const after = cursorPosition(thread, 'm41'); // 41, or oldestRetained(thread) - 1 once m41 is gone
 */
export function cursorPosition(thread: StoredThread, id: string): number | undefined {
  const n = thread.positions.get(id);
  if (n !== undefined) return n;
  return thread.messageCount > thread.maxMessages ? oldestRetained(thread) - 1 : undefined;
}

/** Queues an assistant reply, keeping the queue sorted by due time. */
export function scheduleReply(thread: StoredThread, dueAtMs: number, content: string): void {
  const pending = thread.pending;
  let i = pending.length;
  while (i > 0 && pending[i - 1]!.dueAtMs > dueAtMs) i--;
  pending.splice(i, 0, { dueAtMs, content });
}

/**
 * Stores every reply due by `now`, stamped with its due time (not the time it was noticed),
 * and calls `onStored` for each so the ledger can record it. Because this runs before any
 * message is appended, the message list stays ordered by `createdAt`.
 */
export function deliverDueReplies(
  thread: StoredThread,
  now: number,
  nextId: () => string,
  onStored: (message: StoredMessage) => void,
): void {
  const pending = thread.pending;
  if (pending.length === 0 || pending[0]!.dueAtMs > now) return;
  let delivered = 0;
  while (delivered < pending.length && pending[delivered]!.dueAtMs <= now) {
    const reply = pending[delivered]!;
    const message: StoredMessage = {
      id: nextId(),
      type: 'assistant',
      content: reply.content,
      createdAtMs: reply.dueAtMs,
    };
    appendMessage(thread, message);
    onStored(message);
    delivered++;
  }
  pending.splice(0, delivered);
}

/** The thread's status at `now`, given the inactivity TTL. */
export function threadStatus(thread: StoredThread, now: number, ttlMs: number): ThreadStatus {
  if (thread.closed) return 'CLOSED';
  return now - thread.lastActivityMs >= ttlMs ? 'EXPIRED' : 'ACTIVE';
}

/** The thread as `GET /thread/{id}` returns it. `messageCount` counts forgotten messages too. */
export function threadView(thread: StoredThread, now: number, ttlMs: number): ThreadView {
  return {
    id: thread.id,
    topic: thread.topic,
    status: threadStatus(thread, now, ttlMs),
    createdAt: thread.createdAtIso,
    lastMessageAt: thread.lastMessageMs === null ? null : new Date(thread.lastMessageMs).toISOString(),
    messageCount: thread.messageCount,
    metadata: thread.metadata,
  };
}

/** {@link threadView} serialised, from the cache while neither the messages nor the status changed. */
export function threadViewJson(
  thread: StoredThread,
  now: number,
  ttlMs: number,
): { json: string; status: ThreadStatus } {
  const status = threadStatus(thread, now, ttlMs);
  if (thread.viewJson === null || thread.viewStatus !== status) {
    thread.viewJson = JSON.stringify(threadView(thread, now, ttlMs));
    thread.viewStatus = status;
  }
  return { json: thread.viewJson, status };
}

/** Message number `n` (a retained one) as the list endpoint returns it. */
function messageView(thread: StoredThread, n: number): MessageView {
  const slot = n % thread.maxMessages;
  const view: MessageView = {
    id: thread.ids[slot]!,
    type: thread.types[slot]!,
    content: thread.contents[slot]!,
    createdAt: new Date(thread.times[slot]!).toISOString(),
  };
  const extra = thread.extras?.get(n);
  if (extra?.metadata !== undefined) view.metadata = extra.metadata;
  if (extra?.toolCallId !== undefined) view.toolCallId = extra.toolCallId;
  return view;
}

/** A page request for the message list, already validated. */
export interface MessagePage {
  limit: number;
  order: 'asc' | 'desc';
  /** Number of the `after` cursor message ({@link cursorPosition}), or -1. */
  afterIndex: number;
  /** Number of the `before` cursor message ({@link cursorPosition}), or `messageCount`. */
  beforeIndex: number;
}

/**
 * Selects a page of the retained messages: first the range strictly between the cursors, then
 * ordered, then the first `limit` of that order. So `order=desc&limit=20` is the newest 20, and
 * `after=X` (ascending) the next messages after X.
 *
 * @example
 * selectPage(thread, { limit: 20, order: 'desc', afterIndex: -1, beforeIndex: thread.messageCount });
 */
export function selectPage(thread: StoredThread, page: MessagePage): MessageView[] {
  const from = Math.max(page.afterIndex + 1, oldestRetained(thread));
  const to = Math.min(page.beforeIndex, thread.messageCount); // exclusive
  const out: MessageView[] = [];
  if (to <= from) return out;
  if (page.order === 'asc') {
    for (let n = from; n < to && out.length < page.limit; n++) out.push(messageView(thread, n));
  } else {
    for (let n = to - 1; n >= from && out.length < page.limit; n--) out.push(messageView(thread, n));
  }
  return out;
}

/**
 * Which threads are kept, over all keys: at most `maxThreads`. Adding one more forgets the
 * least recently used thread last seen ended (`EXPIRED` or `CLOSED`), else the least recently
 * used thread, and hands it to `onEvict` (which drops it from the key's lookup). A thread is
 * "seen" when it is created or touched by a request; whether it has ended is judged then.
 * Each operation is O(1).
 *
 * @example
 * const store = new ThreadStore(10_000, (thread) => threadsById.delete(thread.id));
 * store.add(thread, false);
 * store.use(thread, threadStatus(thread, now, ttlMs) !== 'ACTIVE');
 */
export class ThreadStore {
  /** Threads last seen ACTIVE, least recently used first (a `Set` keeps insertion order). */
  private readonly live = new Set<StoredThread>();
  /** Threads last seen EXPIRED or CLOSED, least recently used first: forgotten first. */
  private readonly ended = new Set<StoredThread>();

  constructor(
    readonly maxThreads: number,
    private readonly onEvict: (thread: StoredThread) => void,
  ) {}

  /** Threads kept. Never more than `maxThreads`. */
  get size(): number {
    return this.live.size + this.ended.size;
  }

  /** Keeps a new thread as the most recently used, forgetting one if that makes too many. */
  add(thread: StoredThread, ended: boolean): void {
    this.use(thread, ended);
    while (this.size > this.maxThreads) this.evictOne();
  }

  /** Marks a kept thread as the most recently used, filed by whether it has ended. */
  use(thread: StoredThread, ended: boolean): void {
    if (ended) {
      this.live.delete(thread);
      this.ended.delete(thread);
      this.ended.add(thread);
    } else {
      this.ended.delete(thread);
      this.live.delete(thread);
      this.live.add(thread);
    }
  }

  /** Stops keeping a thread (replaced by a seeded one of the same id), without `onEvict`. */
  delete(thread: StoredThread): void {
    this.live.delete(thread);
    this.ended.delete(thread);
  }

  private evictOne(): void {
    const from = this.ended.size > 0 ? this.ended : this.live;
    const oldest = from.values().next().value;
    if (oldest === undefined) return;
    from.delete(oldest);
    this.onEvict(oldest);
  }
}
