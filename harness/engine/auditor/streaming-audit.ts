import type { LedgerEffect, LedgerRequest } from '../../../mock-server/core/types.js';
import type {
  AuditFinding,
  AuditReport,
  ClientOperationRecord,
  RetryAfterViolation,
} from './audit-report.js';
import type { LedgerGap } from './ledger-watch.js';

/** Options of {@link createStreamingAudit}. */
export interface StreamingAuditOptions {
  /** The fingerprint (`fingerprintKey`) of the key the run used; requests of other keys are ignored. */
  keyId: string;
  /**
   * Requests of *other* operations arriving this soon after a 429 may have been on the wire
   * before the client saw it; they are not counted as violations. Default 100 ms. Attempts of
   * the operation that got the 429 get no grace: the client had seen it.
   */
  inFlightGraceMs?: number;
  /** At most this many example op ids per finding. Default 10. */
  maxExamples?: number;
  /**
   * An ended operation is judged once a ledger page read at least this long after its end has
   * been added, ms; until then an effect of it may still arrive. Default 5000: an attempt the
   * client gave up on (timed out, cut) may still be on the wire or queued in a busy mock and
   * take effect after the operation ended, and a page read at time T holds only what the mock
   * had recorded by T. A later effect than that is not caught (an orphan, see `orphanTtlMs`);
   * `report()` judges whatever is still pending with everything added so far.
   */
  settleMs?: number;
  /**
   * Effects of op ids no operation has claimed yet are kept at least half this long and at
   * most this long (ledger read time, ms), then forgotten. Default 300_000. An operation's
   * record arrives when it ends, its effect usually before: the TTL must outlast the longest
   * operation (retries, Retry-After waits), else an applied operation would look lost.
   */
  orphanTtlMs?: number;
  /**
   * Only effects whose op id starts with this are the run's (`${runId}.`): others are ignored
   * at once instead of waiting out the orphan TTL. Default: every op id.
   */
  opIdPrefix?: string;
}

/** A ledger page as {@link StreamingAudit.addLedgerPage} reads it (a `LedgerSnapshot` will do). */
export interface LedgerPage {
  requests: readonly LedgerRequest[];
  effects: readonly LedgerEffect[];
  /** The ledger's count of entries it could not record (cumulative); the largest seen is the default of `report`. */
  dropped?: number;
}

/** What {@link StreamingAudit.held} counts: the audit's memory, for tests and progress. */
export interface StreamingAuditHeld {
  /** Ended operations not judged yet. */
  operations: number;
  /** Op ids with effect counts kept for operations not judged yet. */
  opIds: number;
  /** Op ids with effects and no operation (yet): orphans waiting for their record or their TTL. */
  orphans: number;
  /** Operations whose own Retry-After still lies ahead of the newest request. */
  blockedOps: number;
}

/**
 * An audit fed as the run goes, in bounded memory: see {@link createStreamingAudit}.
 */
export interface StreamingAudit {
  /** An operation that has ended, with its outcome (in any order with the ledger pages). */
  addOperation(record: ClientOperationRecord): void;
  /**
   * The next page of the ledger, in seq order after the one before. `readAtMs` is when the read
   * began (ms since epoch, the clock of the operations' times): operations that ended at least
   * `settleMs` before it are judged and forgotten. Without it nothing is judged before `report`.
   */
  addLedgerPage(page: LedgerPage, readAtMs?: number): void;
  /** A span the ledger could not see; add it before the pages read after it. */
  addGap(gap: LedgerGap): void;
  /**
   * Judges every operation still pending and returns the verdict over all that was added.
   * `operationCount`: operations started in all, effectful or not (retry amplification);
   * `dropped`: entries the ledger could not record (default: the largest `dropped` of a page).
   */
  report(totals: { operationCount: number; dropped?: number }): AuditReport;
  /** What the audit holds now. */
  held(): StreamingAuditHeld;
}

/** Effects of one op id, by kind: one op may legitimately cause a thread and its first message. */
interface Tally {
  threads: number;
  messages: number;
}

/** An op id claimed by operations: its effect counts and how many of its records wait. */
interface Claim extends Tally {
  waiting: number;
}

interface Pending {
  record: ClientOperationRecord;
  claim: Claim;
}

/** Copies a queue down to its live part once that saves enough: O(1) amortised per entry. */
const RESHAPE_MIN = 1_024;

/** A finding collected one op id at a time: the count, and the first `max` ids. */
function collector(max: number) {
  const examples: string[] = [];
  let count = 0;
  return {
    add(id: string) {
      count++;
      if (examples.length < max) examples.push(id);
    },
    get count() {
      return count;
    },
    finding: (): AuditFinding => ({ count, examples: [...examples] }),
  };
}

/** True when an operation's time span (unknown: assume the whole run) touches a gap. */
function overlapsGap(op: ClientOperationRecord, gaps: readonly LedgerGap[]): boolean {
  const from = op.startedAtMs ?? Number.NEGATIVE_INFINITY;
  const to = op.endedAtMs ?? Number.POSITIVE_INFINITY;
  return gaps.some((gap) => from <= gap.toMs && to >= gap.fromMs);
}

/** The time a 429 told the client it may send again: Retry-After first, else the reset. */
function blockedUntil(request: LedgerRequest): number | null {
  if (request.status !== 429) return null;
  return request.retryAfterUntil ?? request.resetAt;
}

/**
 * The auditor, fed as the run goes: client operation records as operations end, ledger pages
 * as they are read, in bounded memory. It finds what `auditRun` finds — duplicates, lost
 * operations, failures that did take effect, `Retry-After`/reset compliance in arrival order,
 * retry amplification, the rate-limited ratio — but forgets each operation once it is judged
 * (an ended operation, with the ledger read `settleMs` past its end), keeping counts and a few
 * example ids. It holds the operations of the last `settleMs` or so, the effects of operations
 * in flight, and the operations whose own Retry-After is still ahead.
 *
 * Retry-After: after a 429 announcing B, a request arriving before B is a violation if it
 * belongs to the same operation (which had seen the 429), or if it arrived more than the
 * in-flight grace after the 429 (the client should have paused the whole key by then). Per-op
 * blocks already behind the newest arrival are swept: requests come in arrival order.
 *
 * @example
 * const audit = createStreamingAudit({ keyId: fingerprintKey(apiKey), opIdPrefix: `${runId}.` });
 * followEffectLog(workload.effectfulCalls, (record) => audit.addOperation(record));
 * // each second: const at = Date.now(); const page = await readLedger(cursor); audit.addLedgerPage(page, at);
 * const report = audit.report({ operationCount });
 */
export function createStreamingAudit(options: StreamingAuditOptions): StreamingAudit {
  const { keyId, opIdPrefix } = options;
  const max = options.maxExamples ?? 10;
  const graceMs = options.inFlightGraceMs ?? 100;
  const settleMs = options.settleMs ?? 5_000;
  const orphanTtlMs = options.orphanTtlMs ?? 300_000;

  const gaps: LedgerGap[] = [];
  const duplicates = collector(max);
  const lost = collector(max);
  const failedButApplied = collector(max);
  const violations = collector(max);
  const violationDetails: RetryAfterViolation[] = [];
  let unjudged = 0;
  let requests = 0;
  let rateLimited = 0;
  let pageDropped = 0;

  // Operations: claims by op id, and the ended records waiting to settle, in arrival order.
  const claims = new Map<string, Claim>();
  let queue: (Pending | undefined)[] = [];
  let head = 0;
  // Records without an end time cannot settle: they wait for report().
  const untimed: Pending[] = [];
  // Effects no operation has claimed yet, in two generations: the old one is forgotten when
  // the new one is half a TTL old, so an orphan lives between TTL/2 and TTL.
  let orphans = new Map<string, Tally>();
  let oldOrphans = new Map<string, Tally>();
  let generationFromMs: number | null = null;
  let readThroughMs = Number.NEGATIVE_INFINITY;

  // Retry-After, incrementally, in arrival order.
  let keyBlockedUntil = Number.NEGATIVE_INFINITY;
  let keyBlockedFrom = Number.NEGATIVE_INFINITY;
  const opBlockedUntil = new Map<string, number>();
  let newestAt = Number.NEGATIVE_INFINITY;
  let sweepAtSize = RESHAPE_MIN;

  function judge({ record, claim }: Pending): void {
    claim.waiting--;
    if (claim.waiting === 0 && claims.get(record.opId) === claim) claims.delete(record.opId);
    if (gaps.length > 0 && overlapsGap(record, gaps)) {
      unjudged++;
      return;
    }
    const count = record.effect === 'thread_created' ? claim.threads : claim.messages;
    if (count > 1) duplicates.add(record.opId);
    if (record.ok && count === 0) lost.add(record.opId);
    if (!record.ok && count > 0) failedButApplied.add(record.opId);
  }

  /** Judges, oldest first, the operations that ended `settleMs` before the newest read. */
  function settle(): void {
    while (head < queue.length) {
      const next = queue[head]!;
      const end = next.record.endedAtMs;
      if (end === undefined) untimed.push(next);
      else if (end + settleMs > readThroughMs) break;
      else judge(next);
      queue[head++] = undefined;
    }
    if (head >= RESHAPE_MIN && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  function ageOrphans(): void {
    if (generationFromMs === null) generationFromMs = readThroughMs;
    else if (readThroughMs - generationFromMs >= orphanTtlMs / 2) {
      oldOrphans = orphans;
      orphans = new Map();
      generationFromMs = readThroughMs;
    }
  }

  function checkRequest(request: LedgerRequest): void {
    requests++;
    if (request.status === 429) rateLimited++;
    if (request.at > newestAt) newestAt = request.at;
    const own = request.opId === null ? undefined : opBlockedUntil.get(request.opId);
    let violation: RetryAfterViolation | null = null;
    if (own !== undefined && request.at < own) {
      violation = { opId: request.opId, atMs: request.at, blockedUntilMs: own, sameOperation: true };
    } else if (request.at < keyBlockedUntil && request.at > keyBlockedFrom + graceMs) {
      violation = {
        opId: request.opId,
        atMs: request.at,
        blockedUntilMs: keyBlockedUntil,
        sameOperation: false,
      };
    }
    if (violation !== null) {
      violations.add(violation.opId ?? '(no op id)');
      if (violationDetails.length < max) violationDetails.push(violation);
    }
    const until = blockedUntil(request);
    if (until === null) return;
    if (until > keyBlockedUntil) {
      keyBlockedUntil = until;
      keyBlockedFrom = request.at;
    }
    if (request.opId === null) return;
    opBlockedUntil.set(request.opId, Math.max(own ?? 0, until));
    if (opBlockedUntil.size >= sweepAtSize) {
      // A block that ends at or before the newest arrival can no longer be broken.
      for (const [opId, blockedTo] of opBlockedUntil) if (blockedTo <= newestAt) opBlockedUntil.delete(opId);
      sweepAtSize = Math.max(RESHAPE_MIN, opBlockedUntil.size * 2);
    }
  }

  function countEffect(effect: LedgerEffect): void {
    if (effect.keyId !== keyId || effect.opId === null || effect.kind === 'reply_stored') return;
    if (opIdPrefix !== undefined && !effect.opId.startsWith(opIdPrefix)) return;
    const tally =
      claims.get(effect.opId) ??
      orphans.get(effect.opId) ??
      oldOrphans.get(effect.opId) ??
      orphans.set(effect.opId, { threads: 0, messages: 0 }).get(effect.opId)!;
    if (effect.kind === 'thread_created') tally.threads++;
    else tally.messages++;
  }

  return {
    addOperation(record) {
      let claim = claims.get(record.opId);
      if (claim === undefined) {
        const orphan = orphans.get(record.opId) ?? oldOrphans.get(record.opId);
        orphans.delete(record.opId);
        oldOrphans.delete(record.opId);
        claim = { threads: orphan?.threads ?? 0, messages: orphan?.messages ?? 0, waiting: 0 };
        claims.set(record.opId, claim);
      }
      claim.waiting++;
      queue.push({ record, claim });
    },
    addLedgerPage(page, readAtMs) {
      for (const request of page.requests) if (request.keyId === keyId) checkRequest(request);
      for (const effect of page.effects) countEffect(effect);
      if (page.dropped !== undefined && page.dropped > pageDropped) pageDropped = page.dropped;
      if (readAtMs === undefined || !(readAtMs > readThroughMs)) return;
      readThroughMs = readAtMs;
      settle();
      ageOrphans();
    },
    addGap(gap) {
      gaps.push(gap);
    },
    report({ operationCount, dropped = pageDropped }) {
      for (; head < queue.length; head++) {
        judge(queue[head]!);
        queue[head] = undefined;
      }
      for (const pending of untimed.splice(0)) judge(pending);
      const incomplete: string[] = [];
      if (dropped > 0) incomplete.push(`the ledger was full and dropped ${dropped} entries`);
      for (const gap of gaps) {
        incomplete.push(
          `${gap.reason} (${new Date(gap.fromMs).toISOString()} – ${new Date(gap.toMs).toISOString()})`,
        );
      }
      if (unjudged > 0) incomplete.push(`${unjudged} operation(s) overlapping a gap were not judged`);
      return {
        complete: incomplete.length === 0,
        incomplete,
        unjudged,
        operations: operationCount,
        requests,
        duplicates: duplicates.finding(),
        lost: lost.finding(),
        failedButApplied: failedButApplied.finding(),
        retryAfterViolations: { ...violations.finding(), details: [...violationDetails] },
        rateLimited,
        rateLimitedRatio: requests === 0 ? 0 : rateLimited / requests,
        retryAmplification: operationCount === 0 ? 0 : requests / operationCount,
        passed: duplicates.count === 0 && lost.count === 0 && violations.count === 0,
      };
    },
    held: () => ({
      operations: queue.length - head + untimed.length,
      opIds: claims.size,
      orphans: orphans.size + oldOrphans.size,
      blockedOps: opBlockedUntil.size,
    }),
  };
}
