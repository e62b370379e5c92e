/**
 * The Nexus API's request and response models, as `nexus-api.md` states them. The client
 * owns its copy: it must not depend on the mock server's types.
 */

/** `POST /thread` → 200. */
export interface CreatedSession {
  /** UUID. */
  id: string;
  /** ISO-8601. */
  createdAt: string;
}

/** A session's lifecycle state. */
export type SessionStatus = 'ACTIVE' | 'EXPIRED' | 'CLOSED';

/** `GET /thread/{id}` → 200. */
export interface Session {
  id: string;
  topic: string | null;
  status: SessionStatus;
  createdAt: string;
  lastMessageAt: string | null;
  messageCount: number;
  metadata: Record<string, unknown>;
}

/** A message's author. */
export type MessageType = 'user' | 'assistant' | 'tool' | 'system';

/** One message of `GET /thread/{id}/messages`. */
export interface Message {
  id: string;
  type: MessageType;
  content: string;
  createdAt: string;
  metadata?: Record<string, unknown>;
  toolCallId?: string;
}

/** `POST /thread/{id}/messages` → 200: the message is queued; the reply comes later. */
export interface SendResult {
  success: true;
}

/** The error body of every 4xx/5xx. */
export interface ApiErrorBody {
  statusCode: number;
  message: string;
  error: string;
}

/** Query of `GET /thread/{id}/messages`. */
export interface ListMessagesQuery {
  /** 1–100. Server default 20. */
  limit?: number;
  /** Server default `asc`. */
  order?: 'asc' | 'desc';
  /** Message id cursor: only messages after it. */
  after?: string;
  /** Message id cursor: only messages before it. */
  before?: string;
}
