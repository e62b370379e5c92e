/** The first outcome of a request made with an `Idempotency-Key`. */
export interface StoredOutcome {
  /** What the request was (route, thread and body), to refuse a key reused for another request. */
  fingerprint: string;
  status: number;
  body: string;
}

/**
 * Remembers the first successful outcome per (API key, `Idempotency-Key`), so a repeat gets
 * the same answer with no second effect. Only successes are kept: a request refused with a
 * 429 or a 5xx never took effect, and its repeat must be processed afresh.
 *
 * Bounded: past `capacity` keys the oldest are forgotten (insertion order).
 */
export class IdempotencyStore {
  private readonly outcomes = new Map<string, StoredOutcome>();

  constructor(private readonly capacity = 100_000) {}

  get(keyId: string, idempotencyKey: string): StoredOutcome | undefined {
    return this.outcomes.get(`${keyId}\u0000${idempotencyKey}`);
  }

  set(keyId: string, idempotencyKey: string, outcome: StoredOutcome): void {
    if (this.outcomes.size >= this.capacity) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    this.outcomes.set(`${keyId}\u0000${idempotencyKey}`, outcome);
  }
}
