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

/** A thread and its messages. Replies are stored lazily, when the thread is next touched. */
export interface StoredThread {
  id: string;
  keyId: string;
  topic: string | null;
  createdAtMs: number;
  /** Last message (user or assistant) or creation: what expiry counts from. */
  lastActivityMs: number;
  lastMessageMs: number | null;
  closed: boolean;
  messages: StoredMessage[];
  /** Message id → index in `messages`, for cursors. */
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

/** Creates an empty, ACTIVE thread. */
export function newThread(id: string, keyId: string, now: number): StoredThread {
  return {
    id,
    keyId,
    topic: null,
    createdAtMs: now,
    lastActivityMs: now,
    lastMessageMs: null,
    closed: false,
    messages: [],
    positions: new Map(),
    pending: [],
    userMessages: 0,
    metadata: { agentId: 'mock-agent', integrationId: 'mock-integration' },
    createdAtIso: new Date(now).toISOString(),
    viewJson: null,
    viewStatus: null,
  };
}

/** Appends a message and updates the thread's activity. */
export function appendMessage(thread: StoredThread, message: StoredMessage): void {
  thread.viewJson = null;
  thread.positions.set(message.id, thread.messages.length);
  thread.messages.push(message);
  thread.lastActivityMs = Math.max(thread.lastActivityMs, message.createdAtMs);
  thread.lastMessageMs = message.createdAtMs;
  if (message.type === 'user') {
    thread.userMessages++;
    if (thread.topic === null) thread.topic = message.content.slice(0, TOPIC_LENGTH);
  }
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

/** The thread as `GET /thread/{id}` returns it. */
export function threadView(thread: StoredThread, now: number, ttlMs: number): ThreadView {
  return {
    id: thread.id,
    topic: thread.topic,
    status: threadStatus(thread, now, ttlMs),
    createdAt: thread.createdAtIso,
    lastMessageAt: thread.lastMessageMs === null ? null : new Date(thread.lastMessageMs).toISOString(),
    messageCount: thread.messages.length,
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

/** The message as the list endpoint returns it. */
export function messageView(message: StoredMessage): MessageView {
  const view: MessageView = {
    id: message.id,
    type: message.type,
    content: message.content,
    createdAt: new Date(message.createdAtMs).toISOString(),
  };
  if (message.metadata !== undefined) view.metadata = message.metadata;
  if (message.toolCallId !== undefined) view.toolCallId = message.toolCallId;
  return view;
}

/** A page request for the message list, already validated. */
export interface MessagePage {
  limit: number;
  order: 'asc' | 'desc';
  /** Index of the `after` cursor message, or -1. */
  afterIndex: number;
  /** Index of the `before` cursor message, or `messages.length`. */
  beforeIndex: number;
}

/**
 * Selects a page of messages: first the range strictly between the cursors, then ordered,
 * then the first `limit` of that order. So `order=desc&limit=20` is the newest 20, and
 * `after=X` (ascending) the next messages after X.
 */
export function selectPage(thread: StoredThread, page: MessagePage): MessageView[] {
  const from = page.afterIndex + 1;
  const to = page.beforeIndex; // exclusive
  const out: MessageView[] = [];
  if (to <= from) return out;
  if (page.order === 'asc') {
    for (let i = from; i < to && out.length < page.limit; i++) out.push(messageView(thread.messages[i]!));
  } else {
    for (let i = to - 1; i >= from && out.length < page.limit; i--)
      out.push(messageView(thread.messages[i]!));
  }
  return out;
}
