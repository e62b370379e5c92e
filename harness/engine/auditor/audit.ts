import type { EffectKind, LedgerRequest, LedgerSnapshot } from '../../../mock-server/core/types.js';
import type { LedgerGap } from './ledger-watch.js';

/** What the client says of one operation that should have had an effect on the server. */
export interface ClientOperationRecord {
  /** The op id the client sent as `x-harness-op` on every attempt. */
  opId: string;
  /** The effect the operation exists to cause. */
  effect: Extract<EffectKind, 'thread_created' | 'message_stored'>;
  /** True when the client reported success. */
  ok: boolean;
  /** When the operation started and ended, ms since epoch (the ledger's time base); needed to judge it against ledger gaps. */
  startedAtMs?: number;
  endedAtMs?: number;
}

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
   * Spans the ledger could not see (the mock restarted; see `watchLedger`). Operations
   * overlapping one are not judged (neither lost nor duplicated), and the audit is incomplete.
   */
  gaps?: readonly LedgerGap[];
}

/** One finding: how many, and a few op ids to look up in the ledger. */
export interface AuditFinding {
  count: number;
  examples: string[];
}

/** A request the server received before the time a 429 had told the client to wait for. */
export interface RetryAfterViolation {
  opId: string | null;
  /** Arrival at the server, ms since epoch. */
  atMs: number;
  /** What the earlier 429 announced (Retry-After, else X-RateLimit-Reset), ms since epoch. */
  blockedUntilMs: number;
  /** Whether the same operation had received that 429 (`true`) or another one had. */
  sameOperation: boolean;
}

/** The auditor's verdict over one run. */
export interface AuditReport {
  /** False when the ledger dropped entries or had gaps: findings are then lower bounds. */
  complete: boolean;
  /** Why the audit is incomplete (empty when complete). */
  incomplete: string[];
  /** Effectful operations that could not be judged, because they overlap a ledger gap. */
  unjudged: number;
  operations: number;
  /** Requests of this run's key in the ledger. */
  requests: number;
  /** Operations whose effect the ledger shows more than once. */
  duplicates: AuditFinding;
  /** Operations reported successful whose effect the ledger never shows. */
  lost: AuditFinding;
  /** Operations reported failed although the ledger shows their effect. */
  failedButApplied: AuditFinding;
  retryAfterViolations: AuditFinding & { details: RetryAfterViolation[] };
  /** 429 responses in the ledger. */
  rateLimited: number;
  /** 429 responses ÷ requests. */
  rateLimitedRatio: number;
  /** Requests ÷ operations. */
  retryAmplification: number;
  /** No duplicates, nothing lost, no Retry-After violation. */
  passed: boolean;
}

/** True when an operation's time span (unknown: assume the whole run) touches a gap. */
function overlapsGap(op: ClientOperationRecord, gaps: readonly LedgerGap[]): boolean {
  const from = op.startedAtMs ?? Number.NEGATIVE_INFINITY;
  const to = op.endedAtMs ?? Number.POSITIVE_INFINITY;
  return gaps.some((gap) => from <= gap.toMs && to >= gap.fromMs);
}

function finding(ids: string[], max: number): AuditFinding {
  return { count: ids.length, examples: ids.slice(0, max) };
}

/** The time a 429 told the client it may send again: Retry-After first, else the reset. */
function blockedUntil(request: LedgerRequest): number | null {
  if (request.status !== 429) return null;
  return request.retryAfterUntil ?? request.resetAt;
}

/**
 * Checks one key's `Retry-After`/reset compliance over the ledger, in arrival order. After a
 * 429 announcing B, a request arriving before B is a violation if it belongs to the same
 * operation (which had seen the 429), or if it arrived more than the in-flight grace after
 * the 429 (the client should have paused the whole key by then).
 */
function findRetryAfterViolations(
  requests: readonly LedgerRequest[],
  graceMs: number,
): RetryAfterViolation[] {
  const violations: RetryAfterViolation[] = [];
  let keyBlockedUntil = Number.NEGATIVE_INFINITY;
  let keyBlockedFrom = Number.NEGATIVE_INFINITY;
  const opBlockedUntil = new Map<string, number>();
  for (const request of requests) {
    const own = request.opId === null ? undefined : opBlockedUntil.get(request.opId);
    if (own !== undefined && request.at < own) {
      violations.push({ opId: request.opId, atMs: request.at, blockedUntilMs: own, sameOperation: true });
    } else if (request.at < keyBlockedUntil && request.at > keyBlockedFrom + graceMs) {
      violations.push({
        opId: request.opId,
        atMs: request.at,
        blockedUntilMs: keyBlockedUntil,
        sameOperation: false,
      });
    }
    const until = blockedUntil(request);
    if (until === null) continue;
    if (until > keyBlockedUntil) {
      keyBlockedUntil = until;
      keyBlockedFrom = request.at;
    }
    if (request.opId !== null) opBlockedUntil.set(request.opId, Math.max(own ?? 0, until));
  }
  return violations;
}

/**
 * Audits a run against the mock's ledger, the ground truth: duplicates, lost operations,
 * failures that did take effect, `Retry-After`/reset compliance, retry amplification and the
 * rate-limited ratio. Pure: give it the ledger and the client's account, get the verdict.
 *
 * @example
 * const report = auditRun({ ledger: sim.ledger(startSeq), keyId: fingerprintKey(apiKey),
 *   operations: effectfulOps, operationCount: totalOps });
 * if (!report.passed) console.log(report.duplicates.examples);
 */
export function auditRun(options: AuditOptions): AuditReport {
  const max = options.maxExamples ?? 10;
  const graceMs = options.inFlightGraceMs ?? 100;
  const requests = options.ledger.requests.filter((r) => r.keyId === options.keyId);

  // Effects per (op, kind): one op may legitimately cause a thread and its first message.
  const effectCount = new Map<string, number>();
  for (const effect of options.ledger.effects) {
    if (effect.keyId !== options.keyId || effect.opId === null || effect.kind === 'reply_stored') continue;
    const k = `${effect.kind}\u0000${effect.opId}`;
    effectCount.set(k, (effectCount.get(k) ?? 0) + 1);
  }
  const duplicates: string[] = [];
  const lost: string[] = [];
  const failedButApplied: string[] = [];
  const gaps = options.gaps ?? [];
  let unjudged = 0;
  for (const op of options.operations) {
    if (gaps.length > 0 && overlapsGap(op, gaps)) {
      unjudged++;
      continue;
    }
    const count = effectCount.get(`${op.effect}\u0000${op.opId}`) ?? 0;
    if (count > 1) duplicates.push(op.opId);
    if (op.ok && count === 0) lost.push(op.opId);
    if (!op.ok && count > 0) failedButApplied.push(op.opId);
  }

  const violations = findRetryAfterViolations(requests, graceMs);
  const rateLimited = requests.reduce((n, r) => n + (r.status === 429 ? 1 : 0), 0);
  const incomplete: string[] = [];
  if (options.ledger.dropped > 0) {
    incomplete.push(`the ledger was full and dropped ${options.ledger.dropped} entries`);
  }
  for (const gap of gaps) {
    incomplete.push(
      `${gap.reason} (${new Date(gap.fromMs).toISOString()} – ${new Date(gap.toMs).toISOString()})`,
    );
  }
  if (unjudged > 0) incomplete.push(`${unjudged} operation(s) overlapping a gap were not judged`);
  const report: AuditReport = {
    complete: incomplete.length === 0,
    incomplete,
    unjudged,
    operations: options.operationCount,
    requests: requests.length,
    duplicates: finding(duplicates, max),
    lost: finding(lost, max),
    failedButApplied: finding(failedButApplied, max),
    retryAfterViolations: {
      ...finding(
        violations.map((v) => v.opId ?? '(no op id)'),
        max,
      ),
      details: violations.slice(0, max),
    },
    rateLimited,
    rateLimitedRatio: requests.length === 0 ? 0 : rateLimited / requests.length,
    retryAmplification: options.operationCount === 0 ? 0 : requests.length / options.operationCount,
    passed: duplicates.length === 0 && lost.length === 0 && violations.length === 0,
  };
  return report;
}
