import type { CallOptions, NexusClient } from '../client/api.js';
import { isNexusApiError } from '../client/errors.js';
import type { Message } from '../client/models.js';
import { raceSignal } from '../client/sleep.js';
import type { ServiceLog } from './logging/logger.js';
import { isUserLimitError, type ServiceAction, ServiceError, UserLimitError } from './service-errors.js';
import {
  CACHE_TTL_MS,
  type ChatReply,
  type ClientSource,
  type EventBus,
  type ServiceCache,
  type SessionRepository,
  type UserRateLimits,
} from './types.js';

/**
 * The session service (the guide's `NexusService`): one Nexus session per user, kept in the
 * repository (24 h) and cached under `session:<userId>` (the `session` family's TTL), reused
 * while the API still reports it `ACTIVE`; per-user limits before anything is sent; events for
 * whoever listens. Every failure leaves a public method as a {@link ServiceError} (or a
 * {@link UserLimitError}) and is logged there, once: inner steps never log.
 */

/** The Nexus calls one service call may make, for {@link SessionServiceOptions.opIdFor}. */
export type NexusCall = 'createSession' | 'getSession' | 'sendMessage' | 'read';

/** Options of {@link createSessionService}. */
export interface SessionServiceOptions {
  /** The client in use; each service call keeps the one it started with. */
  clients: ClientSource;
  sessions: SessionRepository;
  cache: ServiceCache;
  limits: UserRateLimits;
  events: EventBus;
  /** Where failures are logged, once each (`error`; a limit refusal as `info`). */
  logger: Pick<ServiceLog, 'error' | 'info'>;
  /** Longest wait for the assistant's reply in {@link SessionService.chat}, ms. Default 30_000. */
  replyTimeoutMs?: number;
  /**
   * The op id sent (as `x-harness-op`) with each Nexus call of a service call made with
   * `opId`. Default: `opId` as given for every call. The chat app passes its `op-ids.ts` rule.
   */
  opIdFor?: (opId: string, call: NexusCall) => string | undefined;
  /** Clock for `latencyMs` of `response:generated`, ms. Default `performance.now`. */
  now?: () => number;
}

/** Per-call options of the service. */
export interface ServiceCallOptions {
  /** The caller's op id; see {@link SessionServiceOptions.opIdFor}. */
  opId?: string;
  /** Aborts the call (waiting, on the wire or polling); it rejects with a `ServiceError`. */
  signal?: AbortSignal;
}

/** The user's session, and whether it was the kept one. */
export interface Conversation {
  sessionId: string;
  /** True when the kept session was still `ACTIVE` and was reused. */
  reusedSession: boolean;
}

export interface SessionService {
  /** The user's session: the kept one while `ACTIVE`, else a new one (counted against `sessionsPerDay`). */
  startConversation(userId: string, options?: ServiceCallOptions): Promise<Conversation>;
  /** Sends `content` in the user's session (made if needed); counts against the message limits. */
  sendMessage(userId: string, content: string, options?: ServiceCallOptions): Promise<Conversation>;
  /** Sends `content` and waits for the assistant's reply to it. */
  chat(userId: string, content: string, options?: ServiceCallOptions): Promise<ChatReply>;
}

/** Messages read back after a send to find its id (the cursor of the reply wait). */
const CURSOR_LOOKBACK = 20;

/**
 * Creates the session service.
 *
 * @example
 * const service = createSessionService({ clients, sessions, cache, limits, events, logger });
 * const { sessionId, reply } = await service.chat('user-1', 'What is 2+2?', { opId: 'op-7' });
 */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { clients, sessions, cache, limits, events, logger } = options;
  const replyTimeoutMs = options.replyTimeoutMs ?? 30_000;
  const opIdFor = options.opIdFor ?? ((opId: string) => opId);
  const now = options.now ?? (() => performance.now());
  // One session lookup per user at a time: concurrent first messages of one user share one
  // session instead of each creating its own (and each spending a sessionsPerDay call).
  const lookups = new Map<string, Promise<Conversation>>();
  // One message of a user on the wire at a time, and a chat's turn lasts until its reply: the API
  // links no reply to its message, so a chat finds its reply as "the first assistant message after
  // mine". Two chats of one user at once would each take whichever reply came first (out of order
  // when the assistant is faster on one), or, sent with the same text, the same one. (A chat whose
  // caller left ends its turn at once; a reply still coming to it can be taken by the next chat.)
  const turns = new Map<string, Promise<void>>();

  function callOptions(call: ServiceCallOptions, which: NexusCall): CallOptions {
    const opId = call.opId === undefined ? undefined : opIdFor(call.opId, which);
    return { opId, signal: call.signal };
  }

  /** Whether the kept session is still usable: `ACTIVE`; a 404 (forgotten) is not. Other failures throw. */
  async function isActive(
    client: NexusClient,
    sessionId: string,
    call: ServiceCallOptions,
  ): Promise<boolean> {
    try {
      const session = await client.getSession(sessionId, callOptions(call, 'getSession'));
      return session.status === 'ACTIVE';
    } catch (err) {
      // Only a 404 means "gone"; a 5xx or a timeout says nothing about the session, and
      // replacing it then would leak a session per transient failure.
      if (isNexusApiError(err) && err.status === 404) return false;
      throw err;
    }
  }

  async function lookUp(
    client: NexusClient,
    userId: string,
    call: ServiceCallOptions,
    action: ServiceAction,
  ): Promise<Conversation> {
    const key = `session:${userId}`;
    const cached = await cache.get<string>(key);
    const kept = cached ?? (await sessions.get(userId));
    if (kept !== null && (await isActive(client, kept, call))) {
      if (cached === undefined) await cache.set(key, kept, CACHE_TTL_MS.session);
      return { sessionId: kept, reusedSession: true };
    }
    const decision = await limits.consumeSession(userId);
    if (!decision.allowed) throw new UserLimitError(userId, action, decision);
    const created = await client.createSession(undefined, callOptions(call, 'createSession'));
    await sessions.set(userId, created.id);
    await cache.set(key, created.id, CACHE_TTL_MS.session);
    return { sessionId: created.id, reusedSession: false };
  }

  function conversation(
    client: NexusClient,
    userId: string,
    call: ServiceCallOptions,
    action: ServiceAction,
  ): Promise<Conversation> {
    let lookup = lookups.get(userId);
    if (lookup === undefined) {
      // Shared, so it runs without any one caller's signal; each caller still stops waiting at its own.
      lookup = lookUp(client, userId, { opId: call.opId }, action).finally(() => lookups.delete(userId));
      lookups.set(userId, lookup);
    }
    return raceSignal(lookup, call.signal);
  }

  /**
   * Runs `work` once every earlier turn of `userId` in this process has ended, in arrival order.
   * The caller's signal stops the wait for the turn (the turns after it still wait for the ones
   * before). Not across processes: two app instances on one Redis can still interleave a user.
   */
  async function inTurn<T>(
    userId: string,
    signal: AbortSignal | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const before = turns.get(userId) ?? Promise.resolve();
    let end!: () => void;
    const mine = new Promise<void>((resolve) => {
      end = resolve;
    });
    const tail = before.then(() => mine);
    turns.set(userId, tail);
    try {
      await raceSignal(before, signal);
      return await work();
    } finally {
      end();
      if (turns.get(userId) === tail) turns.delete(userId);
    }
  }

  /** The message limits: a user over them costs the API key nothing, not even a lookup. */
  async function admit(userId: string, action: ServiceAction): Promise<void> {
    const decision = await limits.consumeMessage(userId);
    if (!decision.allowed) throw new UserLimitError(userId, action, decision);
  }

  async function forget(userId: string): Promise<void> {
    await cache.delete(`session:${userId}`);
    await sessions.delete(userId);
  }

  async function send(
    client: NexusClient,
    userId: string,
    content: string,
    call: ServiceCallOptions,
    action: ServiceAction,
  ): Promise<Conversation> {
    let conv = await conversation(client, userId, call, action);
    try {
      await client.sendMessage(conv.sessionId, content, callOptions(call, 'sendMessage'));
    } catch (err) {
      // The session ended between the check and the send (404 forgotten, 409 not ACTIVE):
      // the send had no effect, so one more on a fresh session is safe.
      if (!(isNexusApiError(err) && (err.status === 404 || err.status === 409))) throw err;
      await forget(userId);
      conv = await conversation(client, userId, call, action);
      await client.sendMessage(conv.sessionId, content, callOptions(call, 'sendMessage'));
    }
    events.emit('message:received', {
      userId,
      sessionId: conv.sessionId,
      length: content.length,
      opId: call.opId ?? null,
    });
    return conv;
  }

  /** The id of the user message just sent (the newest of that content), the reply's cursor. */
  async function cursorOf(
    client: NexusClient,
    sessionId: string,
    content: string,
    call: ServiceCallOptions,
  ): Promise<string | undefined> {
    const recent = await client.listMessages(
      sessionId,
      { order: 'desc', limit: CURSOR_LOOKBACK },
      callOptions(call, 'read'),
    );
    return recent.find((m) => m.type === 'user' && m.content === content)?.id;
  }

  /** Logs a failure once, emits `error:occurred`, and gives the error to throw. */
  function failed(userId: string, action: ServiceAction, err: unknown): Error {
    if (isUserLimitError(err)) {
      // A refusal is the limits working, not a failure: logged as information, no error event.
      logger.info(
        { userId, action, limit: err.limit, retryAfterMs: err.retryAfterMs },
        'user limit refused a call',
      );
      return err;
    }
    const error = new ServiceError(userId, action, err);
    const cause = err instanceof Error ? err : undefined;
    const code = (cause as { code?: unknown } | undefined)?.code;
    const summary = {
      name: cause?.name ?? 'Error',
      message: cause?.message ?? String(err),
      ...(typeof code === 'string' ? { code } : {}),
    };
    logger.error({ userId, action, err: summary }, error.message);
    events.emit('error:occurred', { userId, action, error: summary });
    return error;
  }

  async function guarded<T>(userId: string, action: ServiceAction, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw failed(userId, action, err);
    }
  }

  return {
    startConversation(userId, call = {}) {
      return guarded(userId, 'startConversation', () =>
        conversation(clients.current(), userId, call, 'startConversation'),
      );
    },
    sendMessage(userId, content, call = {}) {
      return guarded(userId, 'sendMessage', async () => {
        await admit(userId, 'sendMessage');
        return inTurn(userId, call.signal, () =>
          send(clients.current(), userId, content, call, 'sendMessage'),
        );
      });
    },
    chat(userId, content, call = {}) {
      return guarded(userId, 'chat', async () => {
        const startedAt = now();
        // Refused at once when over the limits, not after the user's earlier chats.
        await admit(userId, 'chat');
        return inTurn(userId, call.signal, async () => {
          const client = clients.current();
          const conv = await send(client, userId, content, call, 'chat');
          const after = await cursorOf(client, conv.sessionId, content, call);
          const reply: Message = await client.waitForReply(conv.sessionId, {
            after,
            timeoutMs: replyTimeoutMs,
            ...callOptions(call, 'read'),
          });
          events.emit('response:generated', {
            userId,
            sessionId: conv.sessionId,
            messageId: reply.id,
            latencyMs: now() - startedAt,
          });
          return { sessionId: conv.sessionId, reusedSession: conv.reusedSession, reply };
        });
      });
    },
  };
}
