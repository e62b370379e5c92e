import type { EffectKind } from '../../../mock-server/core/types.js';

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
  /**
   * False when the ledger dropped entries or had gaps (a restart, another reader's compaction),
   * operations had not ended by the end of the run, or effects came after their operation's
   * verdict: findings are then lower bounds.
   */
  complete: boolean;
  /** Why the audit is incomplete (empty when complete). */
  incomplete: string[];
  /**
   * Effectful operations that could not be judged: they overlap a ledger gap, or had not ended
   * when the run ended (those are checked for duplicates only).
   */
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
