/**
 * The simulator core's vocabulary. Nothing here knows about HTTP servers, sockets or MSW:
 * a face turns its request into a {@link SimRequest}, asks the core, and carries out the
 * {@link SimResponse} it gets back (including any connection-level fault).
 */

import type { BodyError } from './json-body.js';

/** The four public operations of the Nexus API, as route names used in fault rules and the ledger. */
export type RouteName = 'createThread' | 'getThread' | 'sendMessage' | 'listMessages';

export const ROUTE_NAMES: readonly RouteName[] = ['createThread', 'getThread', 'sendMessage', 'listMessages'];

/** A request as a face hands it to the core. */
export interface SimRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path *without* the query string, e.g. `/api/public/thread/abc`. */
  path: string;
  /** The raw query string without the leading `?` (empty when there is none). */
  query: string;
  /** Header lookup by lower-case name. */
  header(name: string): string | undefined;
  /** The parsed JSON body, `undefined` when the request had none. */
  body: unknown;
  /**
   * Set by the face when the body could not be used: `malformed` (not JSON), `too-deep`
   * (nested past `MAX_JSON_DEPTH`) or `too-large` (over the face's body cap). The core answers
   * 400 / 400 / 413 for these.
   */
  bodyError?: BodyError;
}

/**
 * What the face must do at the connection level instead of (or while) sending the response.
 * - `reset`: abort the connection with a TCP RST (client sees `ECONNRESET`).
 * - `empty`: close the connection without writing a byte of response.
 * - `stall`: never answer; hold the connection until the client gives up or the server stops.
 * - `dribble`: send the response, its body in `chunkBytes` pieces every `intervalMs`.
 * - `truncate`: announce the full `Content-Length`, send only part of the body, then close.
 */
export type ConnectionFault =
  | { kind: 'reset' }
  | { kind: 'empty' }
  | { kind: 'stall' }
  | { kind: 'dribble'; chunkBytes: number; intervalMs: number }
  | { kind: 'truncate' };

/** The core's answer. `body` is already serialised so that both faces send identical bytes. */
export interface SimResponse {
  status: number;
  /** Lower-case header names. `content-type` is set whenever there is a body. */
  headers: Record<string, string>;
  body: string | undefined;
  /** Wait this long before answering (injected latency), in milliseconds. 0 for none. */
  delayMs: number;
  /** A connection-level fault the face must carry out. */
  fault?: ConnectionFault;
}

/** A thread's lifecycle state, as the API reports it. */
export type ThreadStatus = 'ACTIVE' | 'EXPIRED' | 'CLOSED';

/** A message's author, as the API reports it. */
export type MessageType = 'user' | 'assistant' | 'tool' | 'system';

/** A message, exactly as the API serialises it. */
export interface MessageView {
  id: string;
  type: MessageType;
  content: string;
  createdAt: string;
  metadata?: Record<string, unknown>;
  toolCallId?: string;
}

/** A thread, exactly as `GET /thread/{id}` serialises it. */
export interface ThreadView {
  id: string;
  topic: string | null;
  status: ThreadStatus;
  createdAt: string;
  lastMessageAt: string | null;
  messageCount: number;
  metadata: Record<string, unknown>;
}

/** A source of time in milliseconds since the Unix epoch. Inject a manual one in tests. */
export interface Clock {
  now(): number;
}

/** The ledger's record of one request the core answered. */
export interface LedgerRequest {
  /** Position in the ledger, shared with effects, strictly increasing. */
  seq: number;
  /** Clock time when the request arrived, ms since epoch. */
  at: number;
  method: string;
  /** The matched route, or `null` for unknown paths and admin calls never reach the ledger. */
  route: RouteName | null;
  path: string;
  /** Fingerprint of the API key (never the key itself), `null` when absent or unknown. */
  keyId: string | null;
  idempotencyKey: string | null;
  /** The `x-harness-op` header: the harness's own operation id, for audits. */
  opId: string | null;
  status: number;
  /** The injected fault, if any (`latency` is not listed here; see `delayMs`). */
  fault: string | null;
  delayMs: number;
  /** True when this request was answered from the idempotency store, without a new effect. */
  replayed: boolean;
  /** For a 429: when the response said the client may send again (ms), from `Retry-After`. */
  retryAfterUntil: number | null;
  /** For any limited response: the `X-RateLimit-Reset` it carried, in ms. */
  resetAt: number | null;
}

/** The kinds of state change the ledger records. */
export type EffectKind = 'thread_created' | 'message_stored' | 'reply_stored';

/** The ledger's record of one state change. */
export interface LedgerEffect {
  seq: number;
  at: number;
  kind: EffectKind;
  keyId: string;
  threadId: string;
  messageId: string | null;
  idempotencyKey: string | null;
  opId: string | null;
  /** The `seq` of the request that caused it (`null` for assistant replies). */
  requestSeq: number | null;
}

/** A read of the ledger, from `sinceSeq` (exclusive) on. */
export interface LedgerSnapshot {
  requests: LedgerRequest[];
  effects: LedgerEffect[];
  /** Entries not recorded because the ledger was full: an audit over this ledger is incomplete. */
  dropped: number;
  /** The highest `seq` handed out so far. */
  lastSeq: number;
  /**
   * The highest `seq` released by compaction (`POST /__admin/ledger/compact`), 0 when none:
   * entries up to it are gone for every reader, so a reader whose last seq read is below it
   * has missed entries. Absent from mocks older than compaction reporting: read it as 0.
   */
  compactedThrough?: number;
  /**
   * A random id of the simulator, drawn when it was created (not on reset): two reads with
   * different ids came from different mock processes, so the second is not a continuation.
   */
  instanceId: string;
}

/**
 * A ledger request with the fields an audit reads only: all that `GET /__admin/ledger?fields=audit`
 * sends of each. A run reads every request the mock recorded, so at tens of thousands of
 * requests a second the other fields (method, route, path, …) were most of what it parsed.
 */
export type AuditedLedgerRequest = Pick<
  LedgerRequest,
  'seq' | 'at' | 'keyId' | 'opId' | 'status' | 'retryAfterUntil' | 'resetAt'
>;

/** A ledger page as an audit reads it: its requests may carry the audited fields only (a `LedgerSnapshot` is one). */
export interface AuditLedgerPage extends Omit<LedgerSnapshot, 'requests'> {
  requests: AuditedLedgerRequest[];
}
