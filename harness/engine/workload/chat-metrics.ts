import type { RateHandle, SampleSink, TrendHandle } from '../types.js';
import type { ChatAnswer } from './chat-sender.js';
import { type AttemptMetrics, attemptMetricsFor, recordAttempt } from './client-metrics.js';

/**
 * The recorder handles of the `chat` op's requests, made once: the attempt metrics every op has
 * (`http_reqs`/`http_req_duration` by status class, `http_req_failed`, `rate_limited` — for a
 * chat, the app's 429s: a user's limit, or Nexus's passed on), and the chat's own.
 */
export interface ChatHandles extends AttemptMetrics {
  /** `app_5xx`: of the app's answers, those with a 5xx. */
  app5xx: RateHandle;
  /** `reply_latency{op:chat}`: from the request sent to the app's 200 with the reply. */
  replyLatency: TrendHandle;
}

/**
 * The `chat` op's handles on `sink`: the attempt metrics the client's hooks record for Nexus
 * calls (`http_reqs`, `http_req_duration`, `http_req_failed`, `rate_limited`, tagged `op:chat`
 * and a status class), `app_5xx` and `reply_latency{op:chat}`.
 *
 * @example
 * const h = createChatHandles(recorder);
 * recordChat(h, 200, 42.5);
 */
export function createChatHandles(sink: SampleSink): ChatHandles {
  const tags = { op: 'chat' };
  return {
    ...attemptMetricsFor(sink, tags),
    app5xx: sink.rate('app_5xx', {}),
    replyLatency: sink.trend('reply_latency', tags),
  };
}

/**
 * Records one chat request: its status (`null`: no answer, a network error or a timeout) and
 * its service time, ms. A 200 is a reply seen: its time is also the chat's `reply_latency`.
 *
 * @example
 * recordChat(handles, answer.status, clock.now() - sentAt);
 */
export function recordChat(h: ChatHandles, status: number | null, durationMs: number): void {
  const cls = recordAttempt(h, status, durationMs);
  if (status !== null) h.app5xx.add(cls === 4);
  if (status === 200) h.replyLatency.record(durationMs);
}

/**
 * The error a chat the app did not answer with 200 fails with: the status, the app's `error`
 * field when it sent one (`invalid_message`, …) and, for a 429, its Retry-After.
 *
 * @example
 * if (answer.status !== 200) throw chatFailure(answer);
 */
export function chatFailure(answer: ChatAnswer): Error {
  let what = '';
  try {
    const body = JSON.parse(answer.body) as { error?: unknown } | null;
    if (typeof body?.error === 'string') what = ` (${body.error.slice(0, 100)})`;
  } catch {
    // Not JSON: the status says enough.
  }
  const retry = answer.retryAfterSec === null ? '' : `, Retry-After ${answer.retryAfterSec} s`;
  return new Error(`Failed to chat: the app answered HTTP ${answer.status}${what}${retry}.`);
}
