import type { RateLimitStateEvent } from './hooks.js';
import type { CreatedSession, ListMessagesQuery, Message, SendResult, Session } from './models.js';
import type { TransportStats } from './transport.js';

/**
 * The client's API: what `createNexusClient` returns and the options its calls take. The
 * shapes only; `client.ts` puts the parts together that implement them.
 */

/** Per-call options, accepted by every operation. */
export interface CallOptions {
  /** Your id for this operation; sent as `x-harness-op` and passed to the hooks. */
  opId?: string;
  /** Aborts the operation (queued, waiting or on the wire); it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link NexusClient.waitForReply}. */
export interface WaitForReplyOptions extends CallOptions {
  /**
   * Message id cursor: the reply is the first assistant message after it. Default: the
   * newest user message of the thread.
   */
  after?: string;
  /** Give up after this long, ms, with a `TimeoutError` (phase `reply`). Default `polling.replyTimeoutMs`. */
  timeoutMs?: number;
}

/**
 * The Nexus client. Every operation validates its input first (rejecting with a
 * `ValidationError` before anything is sent), then runs its attempts through the limiter,
 * the transport and the retry policy.
 *
 * @example
 * const client: NexusClient = createNexusClient({ apiKey: 'nexus-mock-key' });
 * const { id } = await client.createSession('What is 2+2?', { opId: 'conv-1' });
 * const reply = await client.waitForReply(id, { timeoutMs: 10_000 });
 */
export interface NexusClient {
  /** `POST /thread`, with an optional first user message. */
  createSession(message?: string, options?: CallOptions): Promise<CreatedSession>;
  /** `GET /thread/{id}`. */
  getSession(id: string, options?: CallOptions): Promise<Session>;
  /** `POST /thread/{id}/messages`: queues the message; the reply comes later (see `waitForReply`). */
  sendMessage(id: string, content: string, options?: CallOptions): Promise<SendResult>;
  /** `GET /thread/{id}/messages`. Concurrent identical calls without `opId` share one request. */
  listMessages(id: string, query?: ListMessagesQuery, options?: CallOptions): Promise<Message[]>;
  /** Polls the thread with growing, jittered pauses until an assistant message follows the cursor. */
  waitForReply(id: string, options?: WaitForReplyOptions): Promise<Message>;
  /** The limiter's view of the server's rate limit. */
  rateLimitState(): RateLimitStateEvent;
  /** Sockets and requests of the connection pool. */
  transportStats(): TransportStats;
  /** Resolves when the limiter (and Redis, if shared) is ready. Optional: operations wait anyway. */
  ready(): Promise<void>;
  /**
   * Flushes the batcher, waits for every operation to settle, then closes the limiter and
   * every socket. New operations reject with `ClientClosedError`. With `timeoutMs`, it waits
   * at most that long: attempts still queued in the limiter are then dropped (rejecting with
   * `ClientClosedError`), and requests still on the wire are left to their own signals.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Options of {@link NexusClient.close}. */
export interface CloseOptions {
  /** Longest wait for operations to settle, ms. Default: no bound (wait for all). */
  timeoutMs?: number;
}
