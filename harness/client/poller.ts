import type { CallOptions, WaitForReplyOptions } from './api.js';
import type { AttemptLoop } from './attempt-loop.js';
import type { RandomSource } from './backoff.js';
import type { Coalescer } from './coalescer.js';
import { TimeoutError } from './errors.js';
import type { ListMessagesQuery, Message } from './models.js';
import { ENDPOINTS, type RequestBuilder } from './request-builder.js';
import { raceSignal, sleep } from './sleep.js';
import type { ClientTimers } from './timers.js';

/**
 * Reading a thread's messages and waiting for the reply: `listMessages` through the poll
 * coalescer (concurrent identical polls without an op id share one request; each caller's own
 * signal still releases it), and `waitForReply` as polls after a cursor with growing,
 * jittered pauses until an assistant message follows it or the deadline passes.
 */

/** The layers and settings of {@link createPoller}. */
export interface PollerOptions {
  readonly loop: AttemptLoop;
  readonly requests: RequestBuilder;
  /** Shares one in-flight request between identical polls. */
  readonly coalescer: Coalescer<Message[]>;
  /** Pauses between polls, ms, and the default reply timeout, ms. */
  readonly polling: {
    readonly initialIntervalMs: number;
    readonly maxIntervalMs: number;
    readonly factor: number;
    readonly replyTimeoutMs: number;
  };
  /** Jitter of the pauses. */
  readonly random: RandomSource;
  /** Clock of the deadline and timers of the pauses. */
  readonly timers: ClientTimers;
}

export interface Poller {
  /** `GET /thread/{id}/messages`, coalesced unless the call has an op id. Throws `ValidationError` on bad input. */
  list(id: string, query: ListMessagesQuery | undefined, call: CallOptions | undefined): Promise<Message[]>;
  /** Polls until an assistant message follows the cursor; `TimeoutError` (phase `reply`) past the deadline. */
  waitForReply(id: string, call?: WaitForReplyOptions): Promise<Message>;
}

/**
 * Creates the poller.
 *
 * @example
 * const poller = createPoller({ loop, requests, coalescer: createCoalescer(), polling: DEFAULT_POLLING, random: Math.random, timers: realTimers });
 * const reply = await poller.waitForReply('t1', { timeoutMs: 10_000 });
 */
export function createPoller(options: PollerOptions): Poller {
  const { loop, requests, coalescer, polling, random, timers } = options;
  const endpoint = ENDPOINTS.listMessages;

  function list(id: string, query: ListMessagesQuery | undefined, call: CallOptions | undefined) {
    const path = requests.messagesPath(id, query);
    if (call?.opId !== undefined) {
      return loop.execute(endpoint, path, undefined, call) as Promise<Message[]>;
    }
    const shared = coalescer.run(
      path,
      () => loop.execute(endpoint, path, undefined, undefined) as Promise<Message[]>,
    );
    return raceSignal(shared, call?.signal);
  }

  async function waitForReply(id: string, call: WaitForReplyOptions = {}): Promise<Message> {
    const timeoutMs = call.timeoutMs ?? polling.replyTimeoutMs;
    const deadline = timers.now() + timeoutMs;
    const signal = call.signal;
    let cursor = call.after;
    if (cursor === undefined) {
      const recent = await list(id, { order: 'desc', limit: 100 }, call);
      const lastUser = recent.findIndex((m) => m.type === 'user');
      const newer = lastUser === -1 ? recent : recent.slice(0, lastUser);
      const reply = newer.findLast((m) => m.type === 'assistant');
      if (reply !== undefined) return reply;
      cursor = lastUser === -1 ? recent[0]?.id : recent[lastUser]?.id;
    }
    let intervalMs = polling.initialIntervalMs;
    for (;;) {
      const messages = await list(
        id,
        cursor === undefined ? { order: 'asc', limit: 100 } : { order: 'asc', limit: 100, after: cursor },
        call,
      );
      const reply = messages.find((m) => m.type === 'assistant');
      if (reply !== undefined) return reply;
      const last = messages[messages.length - 1];
      if (last !== undefined) cursor = last.id;
      const left = deadline - timers.now();
      if (left <= 0) throw new TimeoutError('wait for a reply', 'reply', timeoutMs);
      // Equal jitter: never a zero pause, never in lock-step with other pollers.
      const pause = Math.min(left, intervalMs / 2 + random() * (intervalMs / 2));
      await sleep(pause, signal, timers);
      intervalMs = Math.min(polling.maxIntervalMs, intervalMs * polling.factor);
    }
  }

  return { list, waitForReply };
}
