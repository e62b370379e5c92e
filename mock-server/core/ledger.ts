import type { LedgerEffect, LedgerRequest, LedgerSnapshot } from './types.js';

/** Released slots a list keeps before it copies its held entries into a fresh array. */
const RESHAPE_MIN = 4_096;

/**
 * One seq-ordered list of entries with a head index: entries before the head have been
 * released by {@link Ledger.compact}. Released slots are cleared at once (the entries can be
 * collected), and the array itself is copied down to its held part once the released part is
 * both large and at least half of it, so compacting costs O(1) amortised per entry instead of
 * a `slice` of the whole array each time.
 */
class SeqList<T extends { seq: number }> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get held(): number {
    return this.items.length - this.head;
  }

  push(entry: T): void {
    this.items.push(entry);
  }

  /** First index at or after the head whose seq is greater than `sinceSeq`. */
  private firstAfter(sinceSeq: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.seq <= sinceSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Held entries with a seq greater than `sinceSeq`. */
  after(sinceSeq: number): T[] {
    return this.items.slice(this.firstAfter(sinceSeq)) as T[];
  }

  /** Releases the held entries with a seq of at most `throughSeq`. */
  release(throughSeq: number): void {
    const end = this.firstAfter(throughSeq);
    for (let i = this.head; i < end; i++) this.items[i] = undefined;
    this.head = end;
    if (this.head >= RESHAPE_MIN && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * The ground truth of a run: every request the simulator answered and every effect it
 * applied, in one sequence. Audits compare the client's own account against it.
 *
 * Bounded: past `capacity` entries held it stops recording and counts what it dropped, so a
 * long raw-throughput run cannot exhaust memory, and an audit can tell it is incomplete. A
 * reader that has read a prefix may release it with {@link Ledger.compact}: the capacity
 * counts entries held, not entries ever recorded, so a run read in pages never fills it. A
 * compacted ledger no longer holds every request: each read says up to which seq it released.
 *
 * @example
 * const ledger = new Ledger(1_000);
 * ledger.addEffect({ seq: ledger.nextSeq(), ... });
 * const page = ledger.read(0);
 * ledger.compact(page.lastSeq); // the page is read: its entries are no longer needed
 */
export class Ledger {
  private requests = new SeqList<LedgerRequest>();
  private effects = new SeqList<LedgerEffect>();
  private seq = 0;
  private dropped = 0;
  private compactedThrough = 0;

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

  private add<T extends { seq: number }>(list: SeqList<T>, entry: T): boolean {
    if (this.held() >= this.capacity) {
      this.dropped++;
      return false;
    }
    list.push(entry);
    return true;
  }

  /** Entries held now (requests and effects): what the capacity is measured against. */
  held(): number {
    return this.requests.held + this.effects.held;
  }

  /**
   * Releases every held entry with `seq` ≤ `throughSeq`, freeing its memory; a later `read`
   * starting before it returns only what is still held. The seq counter and the dropped count
   * are kept. Whoever compacts decides for every reader of this ledger, so every read says how
   * far the ledger is released (`compactedThrough`): a reader behind it knows it missed entries.
   * A seq past the last one handed out releases only up to that one (later entries are kept).
   */
  compact(throughSeq: number): void {
    const through = Math.min(throughSeq, this.seq);
    if (through <= this.compactedThrough) return;
    this.requests.release(through);
    this.effects.release(through);
    this.compactedThrough = through;
  }

  /**
   * Held entries with `seq` greater than `sinceSeq` (default: all). The simulator adds its
   * `instanceId`. `dropped` counts every entry not recorded since the ledger was created;
   * `compactedThrough` is the highest seq released (0 when none): entries up to it are gone.
   */
  read(sinceSeq = 0): Omit<LedgerSnapshot, 'instanceId'> & { compactedThrough: number } {
    return {
      requests: this.requests.after(sinceSeq),
      effects: this.effects.after(sinceSeq),
      dropped: this.dropped,
      lastSeq: this.seq,
      compactedThrough: this.compactedThrough,
    };
  }
}
