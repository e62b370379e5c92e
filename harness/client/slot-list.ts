/** An item of a {@link SlotList}: its index there, -1 when it is in none. */
export interface Slotted {
  slot: number;
}

/**
 * A set of items that know their own index in it, for a set of any size that changes on every
 * request: adding and deleting are O(1) and, once the array has grown, allocate nothing (a
 * `Set` reallocates its table as deleted entries pile up). An item is in at most one list.
 *
 * @example
 * const inFlight = new SlotList<Exchange>();
 * inFlight.add(exchange);    // exchange.slot === 0
 * inFlight.delete(exchange); // exchange.slot === -1
 */
export class SlotList<T extends Slotted> {
  /** The items, in no particular order. Walk it from the end to delete while walking. */
  readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    item.slot = this.items.length;
    this.items.push(item);
  }

  /** Removes `item` (nothing if it is not in the list); the last item takes its index. */
  delete(item: T): void {
    const i = item.slot;
    if (i < 0 || this.items[i] !== item) return;
    const last = this.items.pop()!;
    if (last !== item) {
      this.items[i] = last;
      last.slot = i;
    }
    item.slot = -1;
  }
}
