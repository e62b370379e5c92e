import type { ClientOperationRecord } from '../auditor/audit.js';

/**
 * The client's own account of its effectful calls (createSession, sendMessage): what the
 * auditor matches against the mock's ledger by op id.
 *
 * @example
 * const log = createEffectLog();
 * await log.track('message_stored', opId, client.sendMessage(id, text, { opId }));
 * auditRun({ …, operations: log.calls() });
 */
export interface EffectLog {
  /** Records `call` under `opId`: ok when it resolves; its wall-clock start and end. Returns `call`'s value. */
  track<T>(effect: ClientOperationRecord['effect'], opId: string, call: Promise<T>): Promise<T>;
  /** Every call tracked so far, in start order. */
  calls(): readonly ClientOperationRecord[];
}

/**
 * Creates an empty {@link EffectLog}.
 *
 * @example
 * const log = createEffectLog();
 */
export function createEffectLog(): EffectLog {
  const calls: ClientOperationRecord[] = [];
  return {
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
      calls.push(record);
      try {
        const value = await call;
        record.ok = true;
        return value;
      } finally {
        record.endedAtMs = Date.now();
      }
    },
    calls: () => calls,
  };
}
