import type { ClientHooks, OperationName } from '../../client/hooks.js';
import type { CounterHandle, RateHandle, SampleSink, Tags, TrendHandle } from '../types.js';

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

interface OpHandles {
  /** Indexed by status class. */
  attempts: AttemptHandles[];
  failed: RateHandle;
  queue: TrendHandle;
  rateLimited: CounterHandle;
  retries: CounterHandle;
}

/**
 * Client hooks that record attempt-level metrics into a sink: `http_reqs` and
 * `http_req_duration` (service time) by op and status class, `http_req_failed` (network
 * errors and 5xx; a 429 is not a failure), `queue_time`, `rate_limited` and `retries` by op.
 * Every handle is made up front, so an event costs two array lookups and the record itself.
 *
 * @example
 * const client = createNexusClient({ ...options, hooks: clientMetricsHooks(recorder, { target: 'mock' }) });
 */
export function clientMetricsHooks(sink: SampleSink, baseTags: Tags = {}): ClientHooks {
  const byOp = new Map<OperationName, OpHandles>();
  for (const op of OPS) {
    const opTags = { ...baseTags, op: OP_TAG[op] };
    byOp.set(op, {
      attempts: STATUS_CLASSES.map((status) => ({
        reqs: sink.counter('http_reqs', { ...opTags, status }),
        duration: sink.trend('http_req_duration', { ...opTags, status }),
      })),
      failed: sink.rate('http_req_failed', opTags),
      queue: sink.trend('queue_time', opTags),
      rateLimited: sink.counter('rate_limited', opTags),
      retries: sink.counter('retries', opTags),
    });
  }
  return {
    onAttemptStart(event) {
      byOp.get(event.op.name)!.queue.record(event.queueTimeMs);
    },
    onAttemptEnd(event) {
      const handles = byOp.get(event.op.name)!;
      const cls = statusClassIndex(event.status);
      const attempt = handles.attempts[cls]!;
      attempt.reqs.add(1);
      attempt.duration.record(event.durationMs);
      handles.failed.add(cls === 4 || cls === 5);
      if (cls === 3) handles.rateLimited.add(1);
    },
    onRetryScheduled(event) {
      byOp.get(event.op.name)!.retries.add(1);
    },
  };
}
