/**
 * autocannon's per-connection events turned into our metrics, with latency measured from each
 * request's intended start. Knows nothing of autocannon itself: the driver calls `sent`,
 * `answered` and `lost` from the client's `request`, `response` and `timeout`/`connError`
 * events, so this is testable on a fake clock.
 *
 * Why our own timing: with a rate, autocannon's corrected percentiles assume a 1 ms expected
 * interval whatever the rate and invent samples (architecture.md); they are never reported.
 * Here request i of the run (counted over all connections, in the order they were sent) was
 * intended to start at t0 + i / rate. autocannon paces in one-second windows, so it often
 * sends *before* that moment; a request is then measured from when it was sent, never from a
 * later intended start. Latency = response time − min(intended start, send time) ≥ service time.
 */

import type { CounterHandle, RateHandle, SampleSink, TrendHandle } from '../../engine/types.js';
import { OP_TAG, STATUS_CLASSES, statusClassIndex } from '../../engine/workload/client-metrics.js';
import type { BlastOp } from './requests.js';

/** Options of {@link createResponseRecorder}. */
export interface ResponseRecorderOptions {
  sink: SampleSink;
  /** Monotonic ms (`performance` by default); fake it in tests. */
  clock?: { now(): number };
  /** Requests/s over all connections for a fixed-rate run; `null` for a closed model (no intended start). */
  ratePerSec: number | null;
  /** Tags on every sample besides `op` and `status`, e.g. `{ executor: 'blast' }`. */
  tags?: Readonly<Record<string, string>>;
}

/** One connection's view: the ops it cycles through, in its order. */
export interface ConnectionTap {
  /** autocannon's `request` event: the next request of the cycle left now. */
  sent(): void;
  /** autocannon's `response` event: the oldest request in flight got `status`. */
  answered(status: number): void;
  /** A `timeout` or `connError`: the oldest request in flight will get no answer. */
  lost(): void;
}

/** What the run as a whole counted. */
export interface ResponseTally {
  sent: number;
  answered: number;
  lost: number;
  /** Sent but neither answered nor lost when the run ended (cut off by its end). */
  inFlight: number;
}

/** See {@link createResponseRecorder}. */
export interface ResponseRecorder {
  /** Time 0 of the schedule: the intended start of request 0. Call once, right before the load starts. */
  start(): void;
  /** A tap for one connection cycling through `ops` (its rotated cycle). */
  connection(ops: readonly BlastOp[]): ConnectionTap;
  /**
   * Records `dropped_iterations`: requests the schedule wanted by `elapsedMs` (the load's real
   * length: autocannon notices its end at its next one-second tick) that were never sent
   * (fixed rate only; 0 otherwise). Call once, at the end.
   */
  finish(elapsedMs: number): ResponseTally & { dropped: number };
}

interface OpCells {
  reqs: CounterHandle[];
  duration: TrendHandle[];
  failed: RateHandle;
  rateLimited: CounterHandle;
  opDuration: TrendHandle;
  ops: CounterHandle;
  opFailed: RateHandle;
  /** The chat op's own, as `run` records them (chat-metrics.ts): `app_5xx` and `reply_latency{op:chat}`. */
  chat: { app5xx: RateHandle; replyLatency: TrendHandle } | null;
}

/** The `op` tag of a blast op: the client's names, and `chat` as the chat op tags itself. */
const tagOf = (op: BlastOp): string => (op === 'chat' ? 'chat' : OP_TAG[op]);

/** The class index of "no response" in {@link STATUS_CLASSES}. */
const NETWORK = statusClassIndex(null);
const INDEX_429 = statusClassIndex(429);
const INDEX_5XX = statusClassIndex(500);

/**
 * Creates the recorder of one blast. Per answer it records `http_reqs` and
 * `http_req_duration` (service time: send → response) by op and status class, `http_req_failed`
 * (5xx or no answer; a 429 is not a failure), `rate_limited` (429s), and the op-level `ops`,
 * `op_duration` (from the intended start) and `op_failed` (anything but a 2xx): a blast request
 * is one operation of one attempt. A `chat` also records what `run` records of it: `app_5xx`
 * (of the app's answers, the 5xx) and `reply_latency{op:chat}` (a 200's service time). Handles
 * are made up front; an answer costs array lookups.
 *
 * @example
 * const rec = createResponseRecorder({ sink: recorder, ratePerSec: 200 });
 * rec.start();
 * const tap = rec.connection(['getSession']);
 * tap.sent(); tap.answered(200);
 * rec.finish(1_000); // { sent: 1, answered: 1, lost: 0, inFlight: 0, dropped: 199 }
 */
export function createResponseRecorder(options: ResponseRecorderOptions): ResponseRecorder {
  const clock = options.clock ?? performance;
  const { sink } = options;
  const baseTags = options.tags ?? {};
  const periodMs = options.ratePerSec === null ? null : 1_000 / options.ratePerSec;
  const cells = new Map<BlastOp, OpCells>();
  const cellsOf = (op: BlastOp): OpCells => {
    let c = cells.get(op);
    if (c === undefined) {
      const tags = { ...baseTags, op: tagOf(op) };
      c = {
        reqs: STATUS_CLASSES.map((status) => sink.counter('http_reqs', { ...tags, status })),
        duration: STATUS_CLASSES.map((status) => sink.trend('http_req_duration', { ...tags, status })),
        failed: sink.rate('http_req_failed', tags),
        rateLimited: sink.counter('rate_limited', tags),
        opDuration: sink.trend('op_duration', tags),
        ops: sink.counter('ops', tags),
        opFailed: sink.rate('op_failed', tags),
        chat:
          op === 'chat'
            ? { app5xx: sink.rate('app_5xx', baseTags), replyLatency: sink.trend('reply_latency', tags) }
            : null,
      };
      cells.set(op, c);
    }
    return c;
  };
  let t0: number | null = null;
  let seq = 0;
  let answeredCount = 0;
  let lostCount = 0;

  function record(c: OpCells, cls: number, status: number, sentMs: number, intendedMs: number): void {
    const now = clock.now();
    c.reqs[cls]!.add(1);
    c.duration[cls]!.record(now - sentMs);
    c.failed.add(cls === NETWORK || cls === INDEX_5XX);
    if (cls === INDEX_429) c.rateLimited.add(1);
    c.ops.add(1);
    c.opDuration.record(now - Math.min(intendedMs, sentMs));
    c.opFailed.add(cls !== 0);
    if (c.chat !== null) {
      // As run's recordChat: app_5xx is of the app's answers (no answer is not in it), and a
      // 200 is the reply seen, its service time the chat's reply_latency.
      if (cls !== NETWORK) c.chat.app5xx.add(cls === INDEX_5XX);
      if (status === 200) c.chat.replyLatency.record(now - sentMs);
    }
  }

  return {
    start() {
      t0 = clock.now();
    },
    connection(ops) {
      if (ops.length === 0)
        throw new RangeError('Failed to tap a connection: it has no ops to cycle through.');
      const opCells = ops.map(cellsOf);
      // In flight, oldest first, in a ring of (cycle index, sent at, intended at) triples: with
      // pipelining 1 it holds one request, two for a moment when a timeout reconnects. A ring,
      // not shift/splice, so an answer allocates nothing.
      let ring = new Float64Array(3 * 4);
      let head = 0;
      let size = 0;
      let k = 0;
      const push = (index: number, sentMs: number, intendedMs: number) => {
        if (size * 3 === ring.length) {
          const slots = ring.length / 3;
          const grown = new Float64Array(ring.length * 2);
          for (let i = 0; i < size; i++) {
            const from = ((head + i) % slots) * 3;
            grown.set(ring.subarray(from, from + 3), i * 3);
          }
          ring = grown;
          head = 0;
        }
        const at = ((head + size) % (ring.length / 3)) * 3;
        ring[at] = index;
        ring[at + 1] = sentMs;
        ring[at + 2] = intendedMs;
        size++;
      };
      const end = (cls: number | null, status: number) => {
        if (size === 0) return;
        const at = head * 3;
        head = (head + 1) % (ring.length / 3);
        size--;
        record(opCells[ring[at]!]!, cls ?? statusClassIndex(status), status, ring[at + 1]!, ring[at + 2]!);
      };
      return {
        sent() {
          const now = clock.now();
          push(k, now, periodMs === null || t0 === null ? now : t0 + seq * periodMs);
          seq++;
          k = k + 1 === opCells.length ? 0 : k + 1;
        },
        answered(status) {
          if (size === 0) return;
          answeredCount++;
          end(null, status);
        },
        lost() {
          if (size === 0) return;
          lostCount++;
          end(NETWORK, 0);
        },
      };
    },
    finish(elapsedMs) {
      const due = periodMs === null ? seq : Math.floor(elapsedMs / periodMs);
      const dropped = Math.max(0, due - seq);
      if (periodMs !== null) sink.counter('dropped_iterations', baseTags).add(dropped);
      return {
        sent: seq,
        answered: answeredCount,
        lost: lostCount,
        inFlight: seq - answeredCount - lostCount,
        dropped,
      };
    },
  };
}
