import type { CallOptions, NexusClient } from './api.js';
import { createAttemptLoop } from './attempt-loop.js';
import { type Batcher, createBatcher } from './batcher.js';
import { createCoalescer } from './coalescer.js';
import { ClientClosedError } from './errors.js';
import { guardHooks } from './hooks.js';
import { createLimiter } from './limiter.js';
import type { CreatedSession, Message, SendResult, Session } from './models.js';
import { type NexusClientOptions, resolveClientOptions } from './options.js';
import { createPoller } from './poller.js';
import { createRequestBuilder, ENDPOINTS, type RequestBuilder } from './request-builder.js';
import { createRetryPolicy } from './retry-policy.js';
import { shutdown } from './shutdown.js';
import { resolveTimeouts } from './transport.js';
import { createTransport } from './transport-auto.js';

export type { CallOptions, CloseOptions, NexusClient, WaitForReplyOptions } from './api.js';

/**
 * The Nexus client: the one place where its layers are put together. Each layer lives in its
 * own file and knows nothing of the others:
 *
 *   hooks · timers (cross-cutting: every layer reports to the hooks and waits on the timers)
 *   transport      the wire                                  transport-auto.ts, transport-*.ts
 *   limiter        bottleneck budgets, then the rate gate    limiter.ts, rate-gate.ts
 *   retry policy   classification, backoff, retry budget     retry-policy.ts
 *   attempt loop   limiter → transport → classify → retry    attempt-loop.ts
 *   batcher        sends, per-thread order                   batcher.ts
 *   poller         coalesced polls, waiting for the reply    poller.ts, coalescer.ts
 *
 * An operation runs as: validate (request-builder.ts) → (batcher, for sends) → for each
 * attempt: limiter → transport → classify → retry policy (backoff, budget, rate-limit wait)
 * → the next attempt re-enters the limiter.
 */

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

  // Cross-cutting.
  const hooks = guardHooks(o.hooks);
  const { timers } = o;
  const requests: RequestBuilder = createRequestBuilder(o);

  // The layers, from the wire up.
  const transport =
    typeof o.transport === 'string'
      ? createTransport(o.transport, o.origin, o.pool, resolveTimeouts(o.timeouts))
      : o.transport;
  const limiter = createLimiter(o.rateLimit, o.keyFingerprint, {
    now: o.now,
    timers,
    onState: hooks.onRateLimitState,
  });
  const policy = createRetryPolicy(o.retry);
  const loop = createAttemptLoop({
    transport,
    limiter,
    policy,
    hooks,
    timers,
    requests,
    newIdempotencyKey: o.idempotencyKeys ? o.newIdempotencyKey : undefined,
  });
  const sendNow = (id: string, content: string, call: CallOptions | undefined): Promise<SendResult> =>
    loop.execute(
      ENDPOINTS.sendMessage,
      `${requests.threadPath(id, 'send a message')}/messages`,
      requests.sendMessageBody(content),
      call,
    ) as Promise<SendResult>;
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
          timers,
        });
  const poller = createPoller({
    loop,
    requests,
    coalescer: createCoalescer<Message[]>(),
    polling: o.polling,
    random: o.random,
    timers,
  });

  let closed = false;
  function checkOpen(what: string): void {
    if (closed) throw new ClientClosedError(what);
  }

  // The API: validation before anything is queued, then the layer each call starts at.
  return {
    createSession(message, call) {
      try {
        checkOpen('create a session');
        if (message !== undefined) requests.checkContent(message, 'create a session');
      } catch (err) {
        return Promise.reject(err);
      }
      return loop.execute(
        ENDPOINTS.createSession,
        requests.threadsPath,
        requests.createSessionBody(message),
        call,
      ) as Promise<CreatedSession>;
    },
    getSession(id, call) {
      try {
        checkOpen('get a session');
        return loop.execute(
          ENDPOINTS.getSession,
          requests.threadPath(id, 'get a session'),
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
        requests.threadPath(id, 'send a message');
        requests.checkContent(content, 'send a message');
        if (batcher !== null) return batcher.add({ id, content, options: call });
        return sendNow(id, content, call);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    listMessages(id, query, call) {
      try {
        checkOpen('list messages');
        return poller.list(id, query, call);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    waitForReply(id, call) {
      try {
        checkOpen('wait for a reply');
        requests.threadPath(id, 'wait for a reply');
      } catch (err) {
        return Promise.reject(err);
      }
      return poller.waitForReply(id, call);
    },
    rateLimitState: () => limiter.gate.state(),
    transportStats: () => transport.stats(),
    ready: () => limiter.ready(),
    async close(closeOptions) {
      if (closed) return;
      closed = true;
      await shutdown({ batcher, loop, limiter, transport, timers, timeoutMs: closeOptions?.timeoutMs });
    },
  };
}
