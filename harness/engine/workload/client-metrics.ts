import type { ClientHooks, OperationName } from '../../client/hooks.js';
import type { CounterHandle, RateHandle, SampleSink, Tags, TrendHandle } from '../types.js';
import {
  attemptErrorReason,
  createErrorMetrics,
  type ErrorMetricsOptions,
  messageOf,
} from './error-metrics.js';

/** The `op` tag of each client operation, k6-style snake case: `http_req_duration{op:send_message}`. */
export const OP_TAG: Readonly<Record<OperationName, string>> = {
  createSession: 'create_session',
  getSession: 'get_session',
  sendMessage: 'send_message',
  listMessages: 'list_messages',
  waitForReply: 'wait_for_reply',
};

const OPS = Object.keys(OP_TAG) as OperationName[];

/** The `status` tag: a class, so tag sets stay few. 429 is its own class, never an error. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '429', '5xx', 'network'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Index into {@link STATUS_CLASSES} for a status (`null`: no response). */
export function statusClassIndex(status: number | null): number {
  if (status === null) return 5;
  if (status === 429) return 3;
  if (status >= 500) return 4;
  if (status >= 400) return 2;
  if (status >= 300) return 1;
  return 0;
}

interface AttemptHandles {
  reqs: CounterHandle;
  duration: TrendHandle;
}

/** The handles one op's attempts are recorded on (see {@link recordAttempt}). */
export interface AttemptMetrics {
  /** Indexed by status class. */
  attempts: AttemptHandles[];
  failed: RateHandle;
  rateLimited: CounterHandle;
}

interface OpHandles extends AttemptMetrics {
  queue: TrendHandle;
  retries: CounterHandle;
}

/**
 * The attempt handles of one op on `sink`, made up front: `http_reqs` and `http_req_duration`
 * per status class, `http_req_failed` and `rate_limited`, all with `tags`.
 *
 * @example
 * const h = attemptMetricsFor(recorder, { op: 'chat' });
 */
export function attemptMetricsFor(sink: SampleSink, tags: Tags): AttemptMetrics {
  return {
    attempts: STATUS_CLASSES.map((status) => ({
      reqs: sink.counter('http_reqs', { ...tags, status }),
      duration: sink.trend('http_req_duration', { ...tags, status }),
    })),
    failed: sink.rate('http_req_failed', tags),
    rateLimited: sink.counter('rate_limited', tags),
  };
}

/**
 * Records one attempt (`status` `null`: no answer) and its service time, ms, and returns its
 * status class index: network errors and 5xx are failures, a 429 is rate-limited, not failed.
 *
 * @example
 * const cls = recordAttempt(h, 200, 1.8); // 0 (2xx)
 */
export function recordAttempt(h: AttemptMetrics, status: number | null, durationMs: number): number {
  const cls = statusClassIndex(status);
  const attempt = h.attempts[cls]!;
  attempt.reqs.add(1);
  attempt.duration.record(durationMs);
  h.failed.add(cls === 4 || cls === 5);
  if (cls === 3) h.rateLimited.add(1);
  return cls;
}

/**
 * {@link clientMetricsHooks}' hooks, and the example message of each error reason they counted
 * (for the result's `errorExamples`).
 */
export interface ClientMetricsHooks extends ClientHooks {
  /** Reason → the first message seen for it (redacted, at most 200 characters). */
  errorExamples(): Record<string, string>;
}

/**
 * Client hooks that record attempt-level metrics into a sink: `http_reqs` and
 * `http_req_duration` (service time) by op and status class, `http_req_failed` (network
 * errors and 5xx; a 429 is not a failure), `queue_time`, `rate_limited` and `retries` by op,
 * and, for a failed attempt only, `attempt_errors` by op and reason (the exact status, or the error
 * code when no answer came) with an example message per reason.
 * Every handle of the successful path is made up front, so an event costs two array lookups
 * and the record itself.
 *
 * @example
 * const hooks = clientMetricsHooks(recorder, { target: 'mock' }, { secrets: [apiKey] });
 * const client = createNexusClient({ ...options, hooks });
 * hooks.errorExamples(); // { '404': 'Failed to GET /thread/{id}: status 404: Not Found.' }
 */
export function clientMetricsHooks(
  sink: SampleSink,
  baseTags: Tags = {},
  errorOptions: ErrorMetricsOptions = {},
): ClientMetricsHooks {
  const byOp = new Map<OperationName, OpHandles>();
  const opTagsOf = new Map<OperationName, Tags>();
  for (const op of OPS) {
    const opTags = { ...baseTags, op: OP_TAG[op] };
    opTagsOf.set(op, opTags);
    byOp.set(op, {
      ...attemptMetricsFor(sink, opTags),
      queue: sink.trend('queue_time', opTags),
      retries: sink.counter('retries', opTags),
    });
  }
  const errors = createErrorMetrics(sink, errorOptions);
  return {
    onAttemptStart(event) {
      byOp.get(event.op.name)!.queue.record(event.queueTimeMs);
    },
    onAttemptEnd(event) {
      recordAttempt(byOp.get(event.op.name)!, event.status, event.durationMs);
      if (event.outcome !== 'failed') return;
      const reason = attemptErrorReason(event.status, event.error ?? { code: event.errorCode });
      if (reason !== null) {
        errors.record(opTagsOf.get(event.op.name)!, reason, messageOf(event.error ?? reason));
      }
    },
    onRetryScheduled(event) {
      byOp.get(event.op.name)!.retries.add(1);
    },
    errorExamples: errors.examples,
  };
}
