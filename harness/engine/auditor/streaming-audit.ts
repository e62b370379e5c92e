import type { AuditedLedgerRequest, LedgerEffect } from '../../../mock-server/core/types.js';
import { createFifo } from '../../util/fifo.js';
import type {
  AuditFinding,
  AuditReport,
  ClientOperationRecord,
  RetryAfterViolation,
} from './audit-report.js';
import { addGap, type LedgerGap } from './ledger-watch.js';

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
   * had recorded by T. A later effect than that comes after the verdict: it is counted as late
   * (with `inFlight`, else at `report`), and the report is incomplete. `report()` judges
   * whatever is still pending with everything added so far.
   */
  settleMs?: number;
  /**
   * Only effects whose op id starts with this are the run's (`${runId}.`): others are ignored.
   * With it, `report` also judges the run's effects that no operation record claimed (two of
   * one kind under one op id are a duplicate, record or not). Default: every op id, and an
   * effect no record claims is ignored (it may be another client's).
   */
  opIdPrefix?: string;
  /**
   * Whether an operation of this op id has started and not yet ended (the effect log's
   * `isInFlight`). An operation's record arrives when it ends, its effects usually before:
   * those are kept (orphans) until the record claims them, however long the operation takes,
   * and never forgotten. With this, an effect of an op id no operation has claimed and none has
   * in flight is not kept but counted as late (its operation was judged already), so orphans
   * exist only for operations in flight, which the client bounds. Without it, every such effect
   * is kept until its record or `report`.
   */
  inFlight?: (opId: string) => boolean;
  /**
   * Count and check only the requests of the run's op ids (`opIdPrefix`), not every request of
   * the key: for one process of a split run, whose siblings send on the same key to the same
   * mock. Their audits then add up (each request is one process's), and Retry-After compliance
   * is judged per process, against the 429s it was answered. Default false: the whole key.
   */
  ownRequestsOnly?: boolean;
}

/** A ledger page as {@link StreamingAudit.addLedgerPage} reads it (a `LedgerSnapshot` will do). */
export interface LedgerPage {
  requests: readonly AuditedLedgerRequest[];
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
  /** Op ids with effects and no operation (yet): orphans waiting for their record. */
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
   * `dropped`: entries the ledger could not record (default: the largest `dropped` of a page);
   * `inFlight`: the records of operations started and not ended (the effect log's `inFlight()`),
   * which no verdict of lost or failed can be given: each is judged for duplicates only (two
   * effects of one kind under its op id), and the others are counted as not judged.
   */
  report(totals: {
    operationCount: number;
    dropped?: number;
    inFlight?: Iterable<ClientOperationRecord>;
  }): AuditReport;
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

/** Per-operation Retry-After blocks held before the first sweep of those already passed. */
const SWEEP_MIN = 1_024;

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

/** Two effects of one kind under one op id: the operation was applied twice. */
function twice(tally: Tally): boolean {
  return tally.threads > 1 || tally.messages > 1;
}

/**
 * The spans of the gaps, sorted and disjoint (overlapping ones merged), so whether an
 * operation touches one is a binary search, however many gaps a long run has.
 */
function gapSpans() {
  const spans: { fromMs: number; toMs: number }[] = [];
  return {
    get size() {
      return spans.length;
    },
    add(gap: LedgerGap): void {
      // Gaps come in the order they were noticed, so this is almost always the last slot.
      let i = spans.length;
      while (i > 0 && spans[i - 1]!.fromMs > gap.fromMs) i--;
      spans.splice(i, 0, { fromMs: gap.fromMs, toMs: gap.toMs });
      // Merge it with the span before it, then with those after it that it reaches.
      let at = Math.max(0, i - 1);
      while (at + 1 < spans.length) {
        if (spans[at + 1]!.fromMs <= spans[at]!.toMs) {
          spans[at]!.toMs = Math.max(spans[at]!.toMs, spans[at + 1]!.toMs);
          spans.splice(at + 1, 1);
        } else if (at < i) at++;
        else break;
      }
    },
    /** True when an operation's time span (unknown: assume the whole run) touches a gap. */
    overlaps(op: ClientOperationRecord): boolean {
      const from = op.startedAtMs ?? Number.NEGATIVE_INFINITY;
      const to = op.endedAtMs ?? Number.POSITIVE_INFINITY;
      // The first span ending at or after the operation's start.
      let lo = 0;
      let hi = spans.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (spans[mid]!.toMs < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < spans.length && spans[lo]!.fromMs <= to;
    },
  };
}

/** One line of `incomplete` per reason: the span, or how many spans and between which times. */
function describeGaps(gaps: readonly LedgerGap[]): string[] {
  const byReason = new Map<string, LedgerGap[]>();
  for (const gap of gaps) {
    const same = byReason.get(gap.reason);
    if (same === undefined) byReason.set(gap.reason, [gap]);
    else same.push(gap);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return [...byReason].map(([reason, spans]) => {
    if (spans.length === 1) return `${reason} (${iso(spans[0]!.fromMs)} – ${iso(spans[0]!.toMs)})`;
    const from = spans.reduce((min, g) => Math.min(min, g.fromMs), Number.POSITIVE_INFINITY);
    const to = spans.reduce((most, g) => Math.max(most, g.toMs), Number.NEGATIVE_INFINITY);
    return `${reason} (${spans.length} spans between ${iso(from)} and ${iso(to)})`;
  });
}

/** The time a 429 told the client it may send again: Retry-After first, else the reset. */
function blockedUntil(request: AuditedLedgerRequest): number | null {
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
 * in flight (however long they take: see `inFlight`), and the operations whose own Retry-After
 * is still ahead. Operations still in flight at `report` are judged for duplicates only and
 * counted as not judged; effects that arrive after their operation was judged are counted as
 * late. Either makes the report incomplete, never a false verdict.
 *
 * Retry-After: after a 429 announcing B, a request arriving before B is a violation if it
 * belongs to the same operation (which had seen the 429), or if it arrived more than the
 * in-flight grace after the 429 (the client should have paused the whole key by then). Per-op
 * blocks already behind the newest arrival are swept: requests come in arrival order.
 *
 * @example
 * const log = effectLogOf(workload.effectfulCalls)!;
 * const audit = createStreamingAudit({ keyId: fingerprintKey(apiKey), opIdPrefix: `${runId}.`, inFlight: log.isInFlight });
 * log.follow((record) => audit.addOperation(record));
 * // each second: const at = Date.now(); const page = await readLedger(cursor); audit.addLedgerPage(page, at);
 * const report = audit.report({ operationCount, inFlight: log.inFlight() });
 */
export function createStreamingAudit(options: StreamingAuditOptions): StreamingAudit {
  const { keyId, opIdPrefix, inFlight } = options;
  const max = options.maxExamples ?? 10;
  const graceMs = options.inFlightGraceMs ?? 100;
  const settleMs = options.settleMs ?? 5_000;
  const ownOnly = options.ownRequestsOnly === true;

  const gaps: LedgerGap[] = [];
  const spans = gapSpans();
  const duplicates = collector(max);
  const lost = collector(max);
  const failedButApplied = collector(max);
  const violations = collector(max);
  const violationDetails: RetryAfterViolation[] = [];
  let unjudged = 0;
  let requests = 0;
  let rateLimited = 0;
  let pageDropped = 0;
  // Effects of the run's op ids that came after their operation had been judged.
  let late = 0;

  // Operations: claims by op id, and the ended records waiting to settle, in arrival order.
  const claims = new Map<string, Claim>();
  const queue = createFifo<Pending>();
  // Records without an end time cannot settle: they wait for report().
  const untimed: Pending[] = [];
  // Effects no operation has claimed yet: kept until their record claims them, or report().
  const orphans = new Map<string, Tally>();
  let readThroughMs = Number.NEGATIVE_INFINITY;

  // Retry-After, incrementally, in arrival order.
  let keyBlockedUntil = Number.NEGATIVE_INFINITY;
  let keyBlockedFrom = Number.NEGATIVE_INFINITY;
  const opBlockedUntil = new Map<string, number>();
  let newestAt = Number.NEGATIVE_INFINITY;
  let sweepAtSize = SWEEP_MIN;

  function judge({ record, claim }: Pending): void {
    claim.waiting--;
    if (claim.waiting === 0 && claims.get(record.opId) === claim) claims.delete(record.opId);
    if (spans.size > 0 && spans.overlaps(record)) {
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
    for (let next = queue.peek(); next !== undefined; next = queue.peek()) {
      const end = next.record.endedAtMs;
      if (end !== undefined && end + settleMs > readThroughMs) break;
      queue.shift();
      if (end === undefined) untimed.push(next);
      else judge(next);
    }
  }

  function checkRequest(request: AuditedLedgerRequest): void {
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
      sweepAtSize = Math.max(SWEEP_MIN, opBlockedUntil.size * 2);
    }
  }

  function countEffect(effect: LedgerEffect): void {
    if (effect.keyId !== keyId || effect.opId === null || effect.kind === 'reply_stored') return;
    if (opIdPrefix !== undefined && !effect.opId.startsWith(opIdPrefix)) return;
    let tally = claims.get(effect.opId) ?? orphans.get(effect.opId);
    if (tally === undefined) {
      // No operation claims it: its record is on the way (the operation is in flight), or it
      // was judged already and this effect comes too late for its verdict.
      if (inFlight !== undefined && !inFlight(effect.opId)) {
        late++;
        return;
      }
      tally = { threads: 0, messages: 0 };
      orphans.set(effect.opId, tally);
    }
    if (effect.kind === 'thread_created') tally.threads++;
    else tally.messages++;
  }

  /**
   * The effects no record claimed, at the end: those of operations still in flight are judged
   * for duplicates (and the operation counted as not judged otherwise); with a prefix, the
   * run's others are too, and counted as late (their operations had been judged without them).
   */
  function judgeOrphans(inFlightRecords: Iterable<ClientOperationRecord>): number {
    const unended = new Map<string, number>();
    for (const record of inFlightRecords) unended.set(record.opId, (unended.get(record.opId) ?? 0) + 1);
    let notEnded = 0;
    for (const [opId, records] of unended) {
      const tally = orphans.get(opId);
      if (tally !== undefined && twice(tally)) duplicates.add(opId);
      else notEnded += records;
      orphans.delete(opId);
    }
    if (opIdPrefix !== undefined) {
      for (const [opId, tally] of orphans) {
        if (twice(tally)) duplicates.add(opId);
        late += tally.threads + tally.messages;
      }
    }
    orphans.clear();
    return notEnded;
  }

  return {
    addOperation(record) {
      let claim = claims.get(record.opId);
      if (claim === undefined) {
        const orphan = orphans.get(record.opId);
        orphans.delete(record.opId);
        claim = { threads: orphan?.threads ?? 0, messages: orphan?.messages ?? 0, waiting: 0 };
        claims.set(record.opId, claim);
      }
      claim.waiting++;
      queue.push({ record, claim });
    },
    addLedgerPage(page, readAtMs) {
      for (const request of page.requests) {
        if (request.keyId !== keyId) continue;
        if (ownOnly && !request.opId?.startsWith(opIdPrefix ?? '')) continue;
        checkRequest(request);
      }
      for (const effect of page.effects) countEffect(effect);
      if (page.dropped !== undefined && page.dropped > pageDropped) pageDropped = page.dropped;
      if (readAtMs === undefined || !(readAtMs > readThroughMs)) return;
      readThroughMs = readAtMs;
      settle();
    },
    addGap(gap) {
      addGap(gaps, gap);
      spans.add(gap);
    },
    report({ operationCount, dropped = pageDropped, inFlight: inFlightRecords = [] }) {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) judge(next);
      for (const pending of untimed.splice(0)) judge(pending);
      const notEnded = judgeOrphans(inFlightRecords);
      unjudged += notEnded;
      const incomplete: string[] = [];
      if (dropped > 0) incomplete.push(`the ledger was full and dropped ${dropped} entries`);
      incomplete.push(...describeGaps(gaps));
      const overlapping = unjudged - notEnded;
      if (overlapping > 0) incomplete.push(`${overlapping} operation(s) overlapping a gap were not judged`);
      if (notEnded > 0) {
        incomplete.push(
          `${notEnded} operation(s) had not ended when the run ended and were not judged (only checked for duplicates)`,
        );
      }
      if (late > 0) {
        incomplete.push(
          `${late} effect(s) reached the ledger after their operation had been judged (over ${settleMs} ms after it ended): duplicates and failures that took effect may be undercounted`,
        );
      }
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
      operations: queue.length + untimed.length,
      opIds: claims.size,
      orphans: orphans.size,
      blockedOps: opBlockedUntil.size,
    }),
  };
}
