import { createHash } from 'node:crypto';

/** The first outcome of a request made with an `Idempotency-Key`. */
export interface StoredOutcome {
  /** What the request was, as {@link requestFingerprint} made it: a key reused for another request is refused. */
  fingerprint: string;
  status: number;
  body: string;
}

/** How much an {@link IdempotencyStore} keeps. */
export interface IdempotencyRetention {
  /** Outcomes kept at most; one more forgets the oldest. */
  maxKeys: number;
  /** How long an outcome is kept, ms; a repeat after that is processed afresh. */
  ttlMs: number;
}

interface Entry extends StoredOutcome {
  storedAtMs: number;
}

/**
 * A request's fingerprint for the store: a SHA-256 digest (44 characters) of its route, thread
 * and body, so a kept outcome does not hold a copy of a message of up to 4,000 characters.
 *
 * @example
 * requestFingerprint('sendMessage', 'b9c…', { content: 'hi' }); // 'q1x…='
 */
export function requestFingerprint(route: string, threadId: string | null, body: unknown): string {
  return createHash('sha256')
    .update(`${route}:${threadId}:${JSON.stringify(body ?? null)}`)
    .digest('base64');
}

/**
 * Remembers the first successful outcome per (API key, `Idempotency-Key`), so a repeat gets
 * the same answer with no second effect. Only successes are kept: a request refused with a
 * 429 or a 5xx never took effect, and its repeat must be processed afresh.
 *
 * Bounded: at most `maxKeys` outcomes (past that the oldest is forgotten), each for at most
 * `ttlMs` (expired ones are forgotten as new ones come in, and never answered). Times are the
 * simulator's, so a test's manual clock drives expiry.
 *
 * @example
 * const store = new IdempotencyStore({ maxKeys: 100_000, ttlMs: 86_400_000 });
 * store.set('k_abc', 'key-1', { fingerprint, status: 200, body: '{"success":true}' }, now);
 * store.get('k_abc', 'key-1', now)?.status; // 200
 */
export class IdempotencyStore {
  /** Insertion order is storage order: the oldest outcome comes first. */
  private readonly outcomes = new Map<string, Entry>();

  constructor(private readonly retention: IdempotencyRetention) {}

  /** Outcomes held now (expired ones not yet swept included). */
  get size(): number {
    return this.outcomes.size;
  }

  /** The outcome kept for the key, unless there is none or it has expired at `nowMs`. */
  get(keyId: string, idempotencyKey: string, nowMs: number): StoredOutcome | undefined {
    const id = `${keyId}\u0000${idempotencyKey}`;
    const entry = this.outcomes.get(id);
    if (entry === undefined) return undefined;
    if (this.expired(entry, nowMs)) {
      this.outcomes.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Keeps an outcome stored at `nowMs`, forgetting expired ones and, past `maxKeys`, the oldest. */
  set(keyId: string, idempotencyKey: string, outcome: StoredOutcome, nowMs: number): void {
    const id = `${keyId}\u0000${idempotencyKey}`;
    this.outcomes.delete(id);
    this.sweep(nowMs);
    if (this.outcomes.size >= this.retention.maxKeys) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    this.outcomes.set(id, {
      fingerprint: outcome.fingerprint,
      status: outcome.status,
      body: outcome.body,
      storedAtMs: nowMs,
    });
  }

  /** Forgets expired outcomes from the oldest on; stops at the first live one. O(1) amortised. */
  private sweep(nowMs: number): void {
    for (const [id, entry] of this.outcomes) {
      if (!this.expired(entry, nowMs)) return;
      this.outcomes.delete(id);
    }
  }

  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.storedAtMs >= this.retention.ttlMs;
  }
}
