import type { ClientHooks } from '../../harness/client/index.js';
import type { LedgerRequest, LedgerSnapshot } from '../../mock-server/core/types.js';

/**
 * What integration tests record from the client's hooks, and the audits they run against
 * the mock's ledger. Client and mock run in one process, so both use the same clock.
 */

export const API_KEY = 'nexus-mock-key';

/** One attempt as the client saw it. */
export interface AttemptRecord {
  opId: string;
  attempt: number;
  startMs: number;
  /** When the response headers arrived, `null` if none did. */
  headersAtMs: number | null;
  status: number | null;
}

/** Hooks that record every attempt of operations carrying an op id. */
export function recordAttempts(): { hooks: ClientHooks; attempts: AttemptRecord[] } {
  const attempts: AttemptRecord[] = [];
  const open = new Map<string, AttemptRecord>();
  const hooks: ClientHooks = {
    onAttemptStart: (e) => {
      if (e.op.opId === undefined) return;
      const record: AttemptRecord = {
        opId: e.op.opId,
        attempt: e.attempt,
        startMs: e.atMs,
        headersAtMs: null,
        status: null,
      };
      attempts.push(record);
      open.set(`${e.op.opId}#${e.attempt}`, record);
    },
    onResponseHeaders: (e) => {
      const record = e.op.opId === undefined ? undefined : open.get(`${e.op.opId}#${e.attempt}`);
      if (record === undefined) return;
      record.headersAtMs = e.atMs;
      record.status = e.status;
    },
  };
  return { hooks, attempts };
}

/** Ledger requests grouped by op id, in arrival order. */
export function requestsByOp(ledger: LedgerSnapshot): Map<string, LedgerRequest[]> {
  const byOp = new Map<string, LedgerRequest[]>();
  for (const request of ledger.requests) {
    if (request.opId === null) continue;
    const list = byOp.get(request.opId) ?? [];
    list.push(request);
    byOp.set(request.opId, list);
  }
  return byOp;
}

/** A request the server received before a reset the client had already been told of. */
export interface EarlyRequest {
  opId: string;
  attempt: number;
  arrivedAtMs: number;
  toldUntilMs: number;
}

/**
 * The "never send before the reset you were told" audit. For every attempt, the resets the
 * client knew of are those of the 429s whose headers it had received before it started the
 * attempt; the time each 429 announced is read from the ledger (`retryAfterUntil` when the
 * mock sent `Retry-After`, else `resetAt`). The attempt's arrival time is the ledger's.
 * Attempts are matched to ledger requests by op id and order (valid when no request is lost
 * on the way, as in a run without connection faults).
 */
export function findEarlyRequests(
  ledger: LedgerSnapshot,
  attempts: readonly AttemptRecord[],
): EarlyRequest[] {
  const byOp = requestsByOp(ledger);
  const attemptsByOp = new Map<string, AttemptRecord[]>();
  for (const a of attempts) {
    const list = attemptsByOp.get(a.opId) ?? [];
    list.push(a);
    attemptsByOp.set(a.opId, list);
  }
  // Every 429: when the client got it, and what it announced.
  const told: { receivedAtMs: number; untilMs: number }[] = [];
  const matched: { attempt: AttemptRecord; request: LedgerRequest }[] = [];
  for (const [opId, list] of attemptsByOp) {
    list.sort((a, b) => a.attempt - b.attempt);
    const requests = byOp.get(opId) ?? [];
    if (requests.length !== list.length) {
      throw new Error(`op ${opId}: ${list.length} attempts but ${requests.length} ledger requests`);
    }
    list.forEach((attempt, i) => {
      const request = requests[i]!;
      matched.push({ attempt, request });
      if (request.status === 429 && attempt.headersAtMs !== null) {
        const untilMs = request.retryAfterUntil ?? request.resetAt;
        if (untilMs !== null) told.push({ receivedAtMs: attempt.headersAtMs, untilMs });
      }
    });
  }
  told.sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  const early: EarlyRequest[] = [];
  for (const { attempt, request } of matched) {
    let toldUntilMs = 0;
    for (const t of told) {
      if (t.receivedAtMs > attempt.startMs) break;
      if (t.untilMs > toldUntilMs) toldUntilMs = t.untilMs;
    }
    if (request.at < toldUntilMs) {
      early.push({ opId: attempt.opId, attempt: attempt.attempt, arrivedAtMs: request.at, toldUntilMs });
    }
  }
  return early;
}

/** Message effects per op id: more than one is a duplicate. */
export function effectsPerOp(ledger: LedgerSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const effect of ledger.effects) {
    if (effect.kind !== 'message_stored' || effect.opId === null) continue;
    counts.set(effect.opId, (counts.get(effect.opId) ?? 0) + 1);
  }
  return counts;
}

/** Admitted (non-429) requests per fixed, clock-aligned window of `windowMs`. */
export function admittedPerWindow(ledger: LedgerSnapshot, windowMs: number): number[] {
  const counts = new Map<number, number>();
  for (const r of ledger.requests) {
    if (r.status === 429 || r.route === null) continue;
    const w = Math.floor(r.at / windowMs);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

/** Open TCP handles of this process (client and server sides alike). */
export function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

/** Polls `condition` every 20 ms for up to `timeoutMs`; returns its last value. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
