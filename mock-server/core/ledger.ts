import type { LedgerEffect, LedgerRequest, LedgerSnapshot } from './types.js';

/** First index in a seq-ordered array whose seq is greater than `sinceSeq`. */
function firstAfter(entries: readonly { seq: number }[], sinceSeq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.seq <= sinceSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The ground truth of a run: every request the simulator answered and every effect it
 * applied, in one sequence. Audits compare the client's own account against it.
 *
 * Bounded: past `capacity` entries it stops recording and counts what it dropped, so a long
 * raw-throughput run cannot exhaust memory, and an audit can tell it is incomplete.
 */
export class Ledger {
  private requests: LedgerRequest[] = [];
  private effects: LedgerEffect[] = [];
  private seq = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {}

  /** Hands out the next sequence number (also used for entries that end up dropped). */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Records a request; returns false (and counts it) when the ledger is full. */
  addRequest(entry: LedgerRequest): boolean {
    return this.add(this.requests, entry);
  }

  /** Records an effect; returns false (and counts it) when the ledger is full. */
  addEffect(entry: LedgerEffect): boolean {
    return this.add(this.effects, entry);
  }

  private add<T>(list: T[], entry: T): boolean {
    if (this.requests.length + this.effects.length >= this.capacity) {
      this.dropped++;
      return false;
    }
    list.push(entry);
    return true;
  }

  /** Entries with `seq` greater than `sinceSeq` (default: all). The simulator adds its `instanceId`. */
  read(sinceSeq = 0): Omit<LedgerSnapshot, 'instanceId'> {
    return {
      requests: this.requests.slice(firstAfter(this.requests, sinceSeq)),
      effects: this.effects.slice(firstAfter(this.effects, sinceSeq)),
      dropped: this.dropped,
      lastSeq: this.seq,
    };
  }
}
