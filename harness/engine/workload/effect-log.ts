import type { ClientOperationRecord } from '../auditor/audit.js';

/**
 * The client's own account of its effectful calls (createSession, sendMessage): what the
 * auditor matches against the mock's ledger by op id. It keeps every record (for `calls()`)
 * until someone follows it; from then on each record goes to the follower when its call ends
 * and none is kept, so a long run holds only the calls in flight (`inFlight()`: the calls
 * that never ended, at the end of a run, are the ones the follower was never handed).
 *
 * @example
 * const log = createEffectLog();
 * await log.track('message_stored', opId, client.sendMessage(id, text, { opId }));
 * auditRun({ …, operations: log.calls() });
 */
export interface EffectLog {
  /** Records `call` under `opId`: ok when it resolves; its wall-clock start and end. Returns `call`'s value. */
  track<T>(effect: ClientOperationRecord['effect'], opId: string, call: Promise<T>): Promise<T>;
  /** Every call tracked and kept so far, in start order: all of them unless the log is followed. */
  calls(): readonly ClientOperationRecord[];
  /**
   * Hands `onEnd` every kept call that has ended (in start order), then each call as it ends,
   * and stops keeping them (`calls()` then holds none). Calls in flight are handed when they
   * end. Once: a second follower is refused. `onEnd` must not throw (it runs as the call settles).
   */
  follow(onEnd: (record: ClientOperationRecord) => void): void;
  /** The records of the calls started and not ended yet (`ok` false, `endedAtMs` 0), in start order. */
  inFlight(): readonly ClientOperationRecord[];
  /** Whether a call under `opId` has started and not ended yet. A bound function: pass it on as is. */
  isInFlight(opId: string): boolean;
}

/** Options of {@link createEffectLog}. */
export interface EffectLogOptions {
  /** Called with each record when its call ends: the same as `follow(onEnd)` at once. */
  onEnd?: (record: ClientOperationRecord) => void;
}

/** Each log's `calls` function → its log: so a workload that hands out only `calls` can be followed. */
const logsByCalls = new WeakMap<() => readonly ClientOperationRecord[], EffectLog>();

/**
 * The effect log whose `calls` function this is (a workload's `effectfulCalls`, which is a
 * log's `calls`), or `undefined` when `calls` is not an effect log's (a workload of its own
 * making, whose records are only in `calls()`).
 *
 * @example
 * const log = effectLogOf(workload.effectfulCalls);
 * log?.follow((r) => audit.addOperation(r));
 * const stillRunning = log?.inFlight() ?? [];
 */
export function effectLogOf(calls: () => readonly ClientOperationRecord[]): EffectLog | undefined {
  return logsByCalls.get(calls);
}

/**
 * Follows the effect log whose `calls` function this is: see {@link EffectLog.follow}. Returns
 * false, following nothing, when `calls` is not an effect log's: its records stay in `calls()`.
 *
 * @example
 * if (!followEffectLog(workload.effectfulCalls, (r) => audit.addOperation(r))) {
 *   for (const r of workload.effectfulCalls()) audit.addOperation(r); // at the end, all at once
 * }
 */
export function followEffectLog(
  calls: () => readonly ClientOperationRecord[],
  onEnd: (record: ClientOperationRecord) => void,
): boolean {
  const log = logsByCalls.get(calls);
  if (log === undefined) return false;
  log.follow(onEnd);
  return true;
}

/**
 * Creates an empty {@link EffectLog}.
 *
 * @example
 * const log = createEffectLog();                                      // keeps every record
 * const streamed = createEffectLog({ onEnd: (r) => audit.addOperation(r) }); // keeps none
 */
export function createEffectLog(options: EffectLogOptions = {}): EffectLog {
  let kept: ClientOperationRecord[] = [];
  // Only the calls in flight: a follower attached mid-run must not be handed them twice.
  const inFlight = new Set<ClientOperationRecord>();
  // The same calls by op id (a count: a script may reuse an op id), for `isInFlight`.
  const inFlightByOp = new Map<string, number>();
  let onEnd: ((record: ClientOperationRecord) => void) | null = null;

  function follow(consumer: (record: ClientOperationRecord) => void): void {
    if (onEnd !== null) throw new Error('Failed to follow the effect log: it already has a follower.');
    onEnd = consumer;
    const ended = kept.filter((record) => !inFlight.has(record));
    kept = [];
    for (const record of ended) consumer(record);
  }
  if (options.onEnd !== undefined) follow(options.onEnd);

  const log: EffectLog = {
    async track(effect, opId, call) {
      // Wall-clock times: the ledger's time base (the mock stamps it with `Date.now`), so an
      // audit can tell which operations a ledger gap (a mock restart) hides. Points in time,
      // not durations: they stay on `Date.now`, not on the client's monotonic clock.
      const record: ClientOperationRecord = {
        opId,
        effect,
        ok: false,
        startedAtMs: Date.now(),
        endedAtMs: 0,
      };
      if (onEnd === null) kept.push(record);
      inFlight.add(record);
      inFlightByOp.set(opId, (inFlightByOp.get(opId) ?? 0) + 1);
      try {
        const value = await call;
        record.ok = true;
        return value;
      } finally {
        record.endedAtMs = Date.now();
        inFlight.delete(record);
        const left = inFlightByOp.get(opId)! - 1;
        if (left === 0) inFlightByOp.delete(opId);
        else inFlightByOp.set(opId, left);
        onEnd?.(record);
      }
    },
    calls: () => kept,
    follow,
    inFlight: () => [...inFlight],
    isInFlight: (opId) => inFlightByOp.has(opId),
  };
  logsByCalls.set(log.calls, log);
  return log;
}
