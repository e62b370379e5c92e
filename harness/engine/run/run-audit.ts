import type { AuditLedgerPage } from '../../../mock-server/core/types.js';
import type { AuditReport, ClientOperationRecord } from '../auditor/audit.js';
import { watchLedger } from '../auditor/ledger-watch.js';
import { createStreamingAudit, type StreamingAuditHeld } from '../auditor/streaming-audit.js';
import { type EffectLog, effectLogOf } from '../workload/effect-log.js';

/** Options of {@link createRunAudit}. */
export interface RunAuditOptions {
  /** Reads the ledger after a seq (the target's `readLedger`, bounded in time by the caller). */
  read: (sinceSeq: number) => Promise<AuditLedgerPage>;
  /**
   * Releases the ledger up to a seq the run has read, on the instance it was read from (the
   * target's `compactLedger`); absent: none.
   */
  compact?: (throughSeq: number, instanceId: string) => Promise<void>;
  /** Fingerprint of the run's key, as the ledger names it. */
  keyId: string;
  /** Every op id of the run starts with this (`${runId}.`): other effects are not the run's. */
  opIdPrefix: string;
  /** Wall clock, ms since epoch (the ledger's and the effect log's time base). Default `Date.now`. */
  now?: () => number;
  /** Only the run's own requests (see `StreamingAuditOptions.ownRequestsOnly`): one process of a split run. */
  ownRequestsOnly?: boolean;
}

/** What the run's audit needs of the workload: its effect log's account. */
export interface AuditedWorkload {
  effectfulCalls(): readonly ClientOperationRecord[];
}

/**
 * The run's audit as the run goes: the ledger followed in pages (`watchLedger`), each page
 * fed to a streaming audit and then compacted on the mock (when the target can), and each
 * effectful operation fed to it as it ends (the workload's effect log is followed, so the run
 * keeps no record of its own). Neither the harness nor the mock holds the whole run, and the
 * end costs one page and the last few seconds of operations. The effect log also tells the
 * audit which operations are in flight (their effects wait for their records, however long
 * they take), and at the end which never ended: those are judged for duplicates only, and
 * the report counts them as not judged.
 *
 * Compaction is the run's choice, and acts for every reader of that mock: a second run (or a
 * person) reading the same mock's ledger misses what this run released before it read it. It
 * sees that it did (the mock's `compactedThrough` is past its cursor): a gap, so its audit
 * is incomplete rather than wrong.
 *
 * @example
 * const audit = createRunAudit({ read, compact: target.compactLedger, keyId: target.keyId, opIdPrefix: `${runId}.` });
 * await audit.start();
 * // each progress tick: void audit.poll(workload).catch(() => {});
 * const report = await audit.finish(workload, operationCount);
 */
export function createRunAudit(options: RunAuditOptions) {
  // The workload's effect log, once followed; until then (or if it has none) every effect of
  // the run's op ids no record has claimed is kept, as if its operation were in flight.
  let log: EffectLog | undefined;
  const audit = createStreamingAudit({
    keyId: options.keyId,
    opIdPrefix: options.opIdPrefix,
    ownRequestsOnly: options.ownRequestsOnly,
    inFlight: (opId) => log === undefined || log.isInFlight(opId),
  });
  const compact = options.compact;
  let compacting = false;
  const watch = watchLedger({
    read: options.read,
    now: options.now,
    onPage: (page, { readAtMs, gap }) => {
      if (gap !== null) audit.addGap(gap);
      audit.addLedgerPage(page, readAtMs);
      // Best effort, one at a time, never awaited: a mock that cannot compact keeps its
      // entries, as it always did, and the next page compacts further.
      if (compact === undefined || compacting) return;
      compacting = true;
      compact(page.lastSeq, page.instanceId)
        .catch(() => {})
        .finally(() => {
          compacting = false;
        });
    },
  });
  let followed = false;
  // A workload whose account is not an effect log's: its records are read at the end.
  let unfollowed: (() => readonly ClientOperationRecord[]) | null = null;
  let polling = false;

  function follow(workload: AuditedWorkload): void {
    if (followed) return;
    followed = true;
    const calls = workload.effectfulCalls;
    const found = effectLogOf(calls);
    if (found === undefined) unfollowed = calls;
    else {
      found.follow((record) => audit.addOperation(record));
      log = found;
    }
  }

  return {
    /** Reads where the ledger stands before the load: entries up to there are not the run's. */
    start: (): Promise<void> => watch.start(),
    /**
     * Follows the workload's effect log (the first time) and reads the next page, unless a read
     * is still under way. A failed read rejects; the final read reports it.
     */
    async poll(workload: AuditedWorkload): Promise<void> {
      follow(workload);
      if (polling) return;
      polling = true;
      try {
        await watch.poll();
      } finally {
        polling = false;
      }
    },
    /**
     * Reads the last page (after any read under way) and returns the verdict over the run.
     * Operations the effect log still has in flight then (a call that never settled) are
     * judged for duplicates only, and named in `incomplete`.
     */
    async finish(workload: AuditedWorkload, operationCount: number): Promise<AuditReport> {
      follow(workload);
      const { ledger } = await watch.finish();
      for (const record of unfollowed?.() ?? []) audit.addOperation(record);
      return audit.report({ operationCount, dropped: ledger.dropped, inFlight: log?.inFlight() ?? [] });
    },
    /** What the audit holds now (for tests). */
    held: (): StreamingAuditHeld => audit.held(),
  };
}
