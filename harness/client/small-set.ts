/**
 * A set of a few items in an array, for sets that empty and refill on the hot path. A `Set`
 * reallocates its hash table as it shrinks and as deleted entries pile up, so a set that goes
 * from one item to none on every request allocates a table on every request; an array that
 * has grown keeps its storage. Deleting is a search from the end, so it suits sets of a few
 * items (the attempts on one caller's signal), not thousands.
 *
 * @example
 * const attempts = new SmallSet<Attempt>();
 * attempts.add(a);
 * attempts.delete(a); // true
 * for (const x of attempts.snapshot()) x.abort(reason);
 */
export class SmallSet<T> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#items.push(item);
  }

  /** Removes `item`; false when it was not there. The order of the rest may change. */
  delete(item: T): boolean {
    const items = this.#items;
    const i = items.lastIndexOf(item);
    if (i < 0) return false;
    const last = items.pop()!;
    if (i < items.length) items[i] = last;
    return true;
  }

  /** A copy of the items, safe to iterate while they delete themselves. */
  snapshot(): T[] {
    return this.#items.slice();
  }
}
