import type { LedgerSnapshot } from '../../../mock-server/core/types.js';
import type { AuditReport, ClientOperationRecord } from './audit-report.js';
import type { LedgerGap } from './ledger-watch.js';
import { createStreamingAudit } from './streaming-audit.js';

export type {
  AuditFinding,
  AuditReport,
  ClientOperationRecord,
  RetryAfterViolation,
} from './audit-report.js';

/** Options of {@link auditRun}. */
export interface AuditOptions {
  /** The ledger entries of the run (read with `ledger(sinceSeq)` from the run's first seq). */
  ledger: LedgerSnapshot;
  /** The fingerprint (`fingerprintKey`) of the key the run used; requests of other keys are ignored. */
  keyId: string;
  /** Every effectful operation the client started (reads need no entry). */
  operations: Iterable<ClientOperationRecord>;
  /** Operations started in all, effectful or not (for retry amplification). */
  operationCount: number;
  /**
   * Requests of *other* operations arriving this soon after a 429 may have been on the wire
   * before the client saw it; they are not counted as violations. Default 100 ms. Attempts of
   * the operation that got the 429 get no grace: the client had seen it.
   */
  inFlightGraceMs?: number;
  /** At most this many example op ids per finding. Default 10. */
  maxExamples?: number;
  /**
   * Spans the ledger could not see (the mock restarted, or another reader compacted entries
   * the run had not read; see `watchLedger`). Operations overlapping one are not judged
   * (neither lost nor duplicated), and the audit is incomplete.
   */
  gaps?: readonly LedgerGap[];
}

/**
 * Audits a run against the mock's ledger, the ground truth: duplicates, lost operations,
 * failures that did take effect, `Retry-After`/reset compliance, retry amplification and the
 * rate-limited ratio. Pure: give it the ledger and the client's account, get the verdict.
 * It holds all of both; a run audits as it goes instead, with {@link createStreamingAudit}.
 *
 * @example
 * const report = auditRun({ ledger: sim.ledger(startSeq), keyId: fingerprintKey(apiKey),
 *   operations: effectfulOps, operationCount: totalOps });
 * if (!report.passed) console.log(report.duplicates.examples);
 */
export function auditRun(options: AuditOptions): AuditReport {
  // Everything is added before the verdict, and the page carries no read time: nothing is
  // judged early, so this is the whole-ledger audit it always was.
  const audit = createStreamingAudit({
    keyId: options.keyId,
    inFlightGraceMs: options.inFlightGraceMs,
    maxExamples: options.maxExamples,
  });
  for (const gap of options.gaps ?? []) audit.addGap(gap);
  for (const op of options.operations) audit.addOperation(op);
  audit.addLedgerPage(options.ledger);
  return audit.report({ operationCount: options.operationCount, dropped: options.ledger.dropped });
}
