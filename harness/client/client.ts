import { type Batcher, createBatcher } from './batcher.js';
import { createCoalescer } from './coalescer.js';
import {
  ClientClosedError,
  ClientErrorCode,
  isClientClosedError,
  isNetworkError,
  isTimeoutError,
  NexusApiError,
  RateLimitedError,
  redactSecret,
  TimeoutError,
  ValidationError,
} from './errors.js';
import {
  type AttemptOutcome,
  type ClientHooks,
  guardHooks,
  type OperationInfo,
  type OperationName,
  type RateLimitStateEvent,
} from './hooks.js';
import { createLimiter, PRIORITY } from './limiter.js';
import type { CreatedSession, ListMessagesQuery, Message, SendResult, Session } from './models.js';
import { type NexusClientOptions, resolveClientOptions } from './options.js';
import { parseRetryAfter, readHeader } from './rate-limit-headers.js';
import { type AttemptFailure, createRetryPolicy } from './retry-policy.js';
import { raceSignal, sleep } from './sleep.js';
import {
  resolveTimeouts,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  type TransportStats,
} from './transport.js';
import { createTransport } from './transport-auto.js';

/**
 * The Nexus client: the one place where transport, limiter, retry policy, batcher,
 * coalescer and hooks are put together. Each of those lives in its own file and knows
 * nothing of the others.
 *
 * An operation runs as: validate → (batcher, for sends) → for each attempt: limiter
 * (budgets, then the server-synced gate) → transport → classify → retry policy (backoff,
 * budget, rate-limit wait) → next attempt re-enters the limiter.
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

/** Resolves after `ms` without holding the process open. */
function unrefDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** What one operation carries across its attempts. Allocated once per operation. */
interface OperationState {
  readonly op: OperationInfo;
  readonly method: 'GET' | 'POST';
  readonly route: string;
  readonly signal: AbortSignal | undefined;
  attempt: number;
  observed: boolean;
  /** The current attempt has left the limiter for the transport. */
  sent: boolean;
  queuedAtMs: number;
  attemptStartMs: number;
}

interface SendItem {
  id: string;
  content: string;
  options: CallOptions | undefined;
}

/**
 * Creates a Nexus client.
 *
 * @example
 * const client = createNexusClient({ baseUrl: 'http://127.0.0.1:4010/api/public', apiKey: 'nexus-mock-key' });
 * const { id } = await client.createSession('What is 2+2?');
 * const reply = await client.waitForReply(id);
 * await client.close();
 */
export function createNexusClient(options: NexusClientOptions = {}): NexusClient {
  const o = resolveClientOptions(options);
  const now = o.now;
  const hooks: ClientHooks = guardHooks(o.hooks);
  const timeouts = resolveTimeouts(o.timeouts);
  const transport: Transport =
    typeof o.transport === 'string' ? createTransport(o.transport, o.origin, o.pool, timeouts) : o.transport;
  const limiter = createLimiter(o.rateLimit, o.keyFingerprint, { now, onState: hooks.onRateLimitState });
  const gate = limiter.gate;
  const policy = createRetryPolicy(o.retry);
  const polls = createCoalescer<Message[]>();

  const getHeaders: Record<string, string> = { 'api-key': o.apiKey, accept: 'application/json' };
  const postHeaders: Record<string, string> = { ...getHeaders, 'content-type': 'application/json' };
  const threadBase = `${o.basePath}/thread`;

  let seq = 0;
  let active = 0;
  let closed = false;
  let onIdle: (() => void) | undefined;

  function headersFor(method: 'GET' | 'POST', idempotencyKey: string | undefined, opId: string | undefined) {
    const base = method === 'GET' ? getHeaders : postHeaders;
    if (idempotencyKey === undefined && opId === undefined) return base;
    const headers = { ...base };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    if (opId !== undefined) headers['x-harness-op'] = opId;
    return headers;
  }

  /** The server's body for an error: parsed JSON if it is, else (cut) text; the key redacted either way. */
  function bodyForError(text: string): unknown {
    if (text === '') return undefined;
    const safe = redactSecret(text, o.apiKey);
    try {
      return JSON.parse(safe);
    } catch {
      return safe.length > 500 ? `${safe.slice(0, 500)}…` : safe;
    }
  }

  /** Runs one operation and reports its start and end. Resolves with the parsed 2xx body. */
  async function execute(
    name: OperationName,
    method: 'GET' | 'POST',
    route: string,
    path: string,
    body: string | undefined,
    call: CallOptions | undefined,
  ): Promise<unknown> {
    const opId = call?.opId;
    const idempotencyKey = method === 'POST' && o.idempotencyKeys ? o.newIdempotencyKey() : undefined;
    const op: OperationInfo = { seq: ++seq, name, opId, startedAtMs: now(), idempotencyKey };
    const state: OperationState = {
      op,
      method,
      route,
      signal: call?.signal,
      attempt: 0,
      observed: false,
      sent: false,
      queuedAtMs: 0,
      attemptStartMs: 0,
    };
    const request: TransportRequest = {
      method,
      path,
      headers: headersFor(method, idempotencyKey, opId),
      body,
      signal: call?.signal,
      route,
      onHeaders: (status, headers) => {
        state.observed = true;
        const atMs = now();
        gate.observe(status, headers, atMs);
        if (hooks.onResponseHeaders)
          hooks.onResponseHeaders({ op, attempt: state.attempt, atMs, status, headers });
      },
    };
    const runAttempt = async (): Promise<TransportResponse> => {
      state.observed = false;
      state.sent = true;
      const startMs = now();
      state.attemptStartMs = startMs;
      if (hooks.onAttemptStart) {
        hooks.onAttemptStart({
          op,
          attempt: state.attempt,
          atMs: startMs,
          queueTimeMs: startMs - state.queuedAtMs,
        });
      }
      try {
        return await transport.send(request);
      } catch (err) {
        if (!state.observed) gate.abandon();
        throw err;
      }
    };

    active++;
    policy.recordOperation();
    if (hooks.onOperationStart) hooks.onOperationStart({ op });
    try {
      const value = await runAttempts(state, runAttempt);
      if (hooks.onOperationEnd) endOperation(state, true, null);
      return value;
    } catch (err) {
      if (hooks.onOperationEnd) {
        const code = (err as { code?: unknown } | null)?.code;
        endOperation(state, false, typeof code === 'string' ? code : null);
      }
      throw err;
    } finally {
      active--;
      if (active === 0 && onIdle !== undefined) onIdle();
    }
  }

  function endOperation(state: OperationState, ok: boolean, errorCode: string | null): void {
    const atMs = now();
    hooks.onOperationEnd?.({
      op: state.op,
      atMs,
      durationMs: atMs - state.op.startedAtMs,
      attempts: state.attempt,
      ok,
      errorCode,
    });
  }

  function endAttempt(
    state: OperationState,
    status: number | null,
    errorCode: string | null,
    outcome: AttemptOutcome,
  ): void {
    const atMs = now();
    hooks.onAttemptEnd?.({
      op: state.op,
      attempt: state.attempt,
      atMs,
      durationMs: atMs - state.attemptStartMs,
      status,
      errorCode,
      outcome,
    });
  }

  /** The attempt loop: limiter → transport → classify → retry policy. */
  async function runAttempts(
    state: OperationState,
    runAttempt: () => Promise<TransportResponse>,
  ): Promise<unknown> {
    const { method, route, signal } = state;
    const hasKey = state.op.idempotencyKey !== undefined;
    let attempts = 0;
    let rateLimitedAttempts = 0;
    for (;;) {
      state.attempt++;
      state.sent = false;
      state.queuedAtMs = now();
      if (hooks.onQueued) hooks.onQueued({ op: state.op, attempt: state.attempt, atMs: state.queuedAtMs });
      let failure: AttemptFailure;
      let error: unknown;
      try {
        const res = await limiter.schedule(
          state.attempt === 1 ? PRIORITY.first : PRIORITY.retry,
          policy.maxRateLimitWaitMs,
          route,
          signal,
          runAttempt,
        );
        if (res.status >= 200 && res.status < 300) {
          try {
            const value = res.body === '' ? undefined : JSON.parse(res.body);
            if (hooks.onAttemptEnd) endAttempt(state, res.status, null, 'ok');
            return value;
          } catch (err) {
            error = new NexusApiError(route, res.status, bodyForError(res.body), {
              cause: err,
              detail: `status ${res.status} with a body that is not JSON`,
            });
            failure = { kind: 'error', requestSent: 'maybe' };
            attempts++;
            if (hooks.onAttemptEnd) endAttempt(state, res.status, ClientErrorCode.api, 'failed');
          }
        } else {
          const retryAfterAtMs = parseRetryAfter(readHeader(res.headers, 'retry-after'), now());
          failure = { kind: 'status', status: res.status, retryAfterAtMs };
          error = new NexusApiError(route, res.status, bodyForError(res.body));
          if (res.status === 429) rateLimitedAttempts++;
          else attempts++;
          if (hooks.onAttemptEnd)
            endAttempt(state, res.status, null, res.status === 429 ? 'rate-limited' : 'failed');
        }
      } catch (err) {
        // Not an attempt failure (caller abort, rate-limit fail-fast, full queue): give up now.
        if (!isNetworkError(err) && !isTimeoutError(err)) {
          if (!state.sent && hooks.onAttemptUnsent) {
            const atMs = now();
            hooks.onAttemptUnsent({
              op: state.op,
              attempt: state.attempt,
              atMs,
              queueTimeMs: atMs - state.queuedAtMs,
              aborted: signal?.aborted === true || isClientClosedError(err),
            });
          }
          throw err;
        }
        attempts++;
        error = err;
        failure = { kind: 'error', requestSent: err.requestSent };
        if (hooks.onAttemptEnd) endAttempt(state, null, err.code, 'failed');
      }

      const t = now();
      const limited = failure.kind === 'status' && failure.status === 429;
      const readyAtMs = limited ? gate.state().pausedUntilMs : 0;
      const decision = policy.decide(
        method,
        failure,
        hasKey,
        { attempts, rateLimitedAttempts },
        readyAtMs,
        t,
      );
      if (!decision.retry) {
        if (limited && (decision.reason === 'rate-limit-wait' || decision.reason === 'max-rate-limited')) {
          throw new RateLimitedError(
            route,
            readyAtMs || null,
            429,
            decision.reason === 'max-rate-limited'
              ? `${rateLimitedAttempts} answers of 429`
              : `the reset is more than ${policy.maxRateLimitWaitMs} ms away`,
          );
        }
        throw error;
      }
      if (hooks.onRetryScheduled) {
        hooks.onRetryScheduled({
          op: state.op,
          attempt: state.attempt,
          atMs: t,
          delayMs: decision.delayMs,
          reason: describe(failure, error),
        });
      }
      if (decision.delayMs > 0) await sleep(decision.delayMs, signal);
    }
  }

  function describe(failure: AttemptFailure, error: unknown): string {
    if (failure.kind === 'status') return `status ${failure.status}`;
    if (isNetworkError(error)) return `${error.code} ${error.errno}`;
    if (isTimeoutError(error)) return `${error.code} ${error.phase}`;
    return (error as { code?: string })?.code ?? 'error';
  }

  function checkOpen(what: string): void {
    if (closed) throw new ClientClosedError(what);
  }

  function threadPath(id: string, what: string): string {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      throw new ValidationError(
        'id',
        `Failed to ${what}: the thread id must be a non-empty string of at most 200 characters.`,
      );
    }
    return `${threadBase}/${encodeURIComponent(id)}`;
  }

  function checkContent(content: unknown, what: string): asserts content is string {
    if (typeof content !== 'string' || content.length === 0 || content.length > o.maxMessageLength) {
      const got = typeof content !== 'string' ? typeof content : `${content.length} characters`;
      throw new ValidationError(
        'content',
        `Failed to ${what}: content must be a string of 1–${o.maxMessageLength} characters, got ${got}.`,
      );
    }
  }

  function sendNow(id: string, content: string, call: CallOptions | undefined): Promise<SendResult> {
    return execute(
      'sendMessage',
      'POST',
      'POST /thread/{id}/messages',
      `${threadPath(id, 'send a message')}/messages`,
      JSON.stringify({ content }),
      call,
    ) as Promise<SendResult>;
  }

  const batcher: Batcher<SendItem, SendResult> | null =
    o.batching === false
      ? null
      : createBatcher<SendItem, SendResult>({
          keyOf: (item) => item.id,
          process: (item) => sendNow(item.id, item.content, item.options),
          maxBatchSize: o.batching.maxBatchSize,
          maxWaitMs: o.batching.maxWaitMs,
          maxQueued: o.batching.maxQueued,
          what: 'a message',
        });

  function listNow(id: string, query: ListMessagesQuery | undefined, call: CallOptions | undefined) {
    const base = `${threadPath(id, 'list messages')}/messages`;
    let qs = '';
    if (query !== undefined) {
      const { limit, order, after, before } = query;
      if (limit !== undefined) {
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          throw new ValidationError(
            'limit',
            `Failed to list messages: limit must be an integer 1–100, got ${limit}.`,
          );
        }
        qs += `&limit=${limit}`;
      }
      if (order !== undefined) {
        if (order !== 'asc' && order !== 'desc') {
          throw new ValidationError(
            'order',
            `Failed to list messages: order must be asc or desc, got ${String(order)}.`,
          );
        }
        qs += `&order=${order}`;
      }
      if (after !== undefined) qs += `&after=${encodeURIComponent(after)}`;
      if (before !== undefined) qs += `&before=${encodeURIComponent(before)}`;
    }
    const path = qs === '' ? base : `${base}?${qs.slice(1)}`;
    if (call?.opId !== undefined) {
      return execute('listMessages', 'GET', 'GET /thread/{id}/messages', path, undefined, call) as Promise<
        Message[]
      >;
    }
    const shared = polls.run(
      path,
      () =>
        execute('listMessages', 'GET', 'GET /thread/{id}/messages', path, undefined, undefined) as Promise<
          Message[]
        >,
    );
    return raceSignal(shared, call?.signal);
  }

  async function waitForReply(id: string, call: WaitForReplyOptions = {}): Promise<Message> {
    const timeoutMs = call.timeoutMs ?? o.polling.replyTimeoutMs;
    const deadline = now() + timeoutMs;
    const signal = call.signal;
    let cursor = call.after;
    if (cursor === undefined) {
      const recent = await listNow(id, { order: 'desc', limit: 100 }, call);
      const lastUser = recent.findIndex((m) => m.type === 'user');
      const newer = lastUser === -1 ? recent : recent.slice(0, lastUser);
      const reply = newer.findLast((m) => m.type === 'assistant');
      if (reply !== undefined) return reply;
      cursor = lastUser === -1 ? recent[0]?.id : recent[lastUser]?.id;
    }
    let intervalMs = o.polling.initialIntervalMs;
    for (;;) {
      const messages = await listNow(
        id,
        cursor === undefined ? { order: 'asc', limit: 100 } : { order: 'asc', limit: 100, after: cursor },
        call,
      );
      const reply = messages.find((m) => m.type === 'assistant');
      if (reply !== undefined) return reply;
      const last = messages[messages.length - 1];
      if (last !== undefined) cursor = last.id;
      const left = deadline - now();
      if (left <= 0) throw new TimeoutError('wait for a reply', 'reply', timeoutMs);
      // Equal jitter: never a zero pause, never in lock-step with other pollers.
      const pause = Math.min(left, intervalMs / 2 + o.random() * (intervalMs / 2));
      await sleep(pause, signal);
      intervalMs = Math.min(o.polling.maxIntervalMs, intervalMs * o.polling.factor);
    }
  }

  return {
    createSession(message, call) {
      try {
        checkOpen('create a session');
        if (message !== undefined) checkContent(message, 'create a session');
      } catch (err) {
        return Promise.reject(err);
      }
      return execute(
        'createSession',
        'POST',
        'POST /thread',
        threadBase,
        message === undefined ? '{}' : JSON.stringify({ message }),
        call,
      ) as Promise<CreatedSession>;
    },
    getSession(id, call) {
      try {
        checkOpen('get a session');
        return execute(
          'getSession',
          'GET',
          'GET /thread/{id}',
          threadPath(id, 'get a session'),
          undefined,
          call,
        ) as Promise<Session>;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    sendMessage(id, content, call) {
      try {
        checkOpen('send a message');
        threadPath(id, 'send a message');
        checkContent(content, 'send a message');
        if (batcher !== null) return batcher.add({ id, content, options: call });
        return sendNow(id, content, call);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    listMessages(id, query, call) {
      try {
        checkOpen('list messages');
        return listNow(id, query, call);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    waitForReply(id, call) {
      try {
        checkOpen('wait for a reply');
        threadPath(id, 'wait for a reply');
      } catch (err) {
        return Promise.reject(err);
      }
      return waitForReply(id, call);
    },
    rateLimitState: () => gate.state(),
    transportStats: () => transport.stats(),
    ready: () => limiter.ready(),
    async close(closeOptions) {
      if (closed) return;
      closed = true;
      const settled = (async () => {
        if (batcher !== null) await batcher.close();
        if (active > 0) {
          await new Promise<void>((resolve) => {
            onIdle = resolve;
          });
        }
      })();
      const timeoutMs = closeOptions?.timeoutMs;
      const deadlineMs = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
      if (timeoutMs === undefined) await settled;
      else await Promise.race([settled, unrefDelay(timeoutMs)]);
      await limiter.close();
      const leftMs = deadlineMs - Date.now();
      if (leftMs === Number.POSITIVE_INFINITY) await transport.close();
      else await Promise.race([transport.close(), unrefDelay(Math.max(0, leftMs))]);
    },
  };
}
