/** Consumed slots a queue keeps before it copies its live part into a fresh array. */
const RESHAPE_MIN = 1_024;

/** A first-in, first-out queue. */
export interface Fifo<T> {
  readonly length: number;
  push(value: T): void;
  /** The oldest value, left in place; `undefined` when empty. */
  peek(): T | undefined;
  /** Takes the oldest value; `undefined` when empty. */
  shift(): T | undefined;
  clear(): void;
}

/**
 * A FIFO over an array read from a moving head: `shift()` never copies the array (as
 * `Array.prototype.shift` does), consumed slots are cleared at once so their values can be
 * collected, and the array is copied down to its live part only once the consumed part is both
 * large and at least half of it: O(1) amortised per value.
 *
 * @example
 * const waiting = createFifo<number>();
 * waiting.push(20); waiting.push(40);
 * waiting.shift(); // 20
 */
export function createFifo<T>(): Fifo<T> {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    get length() {
      return items.length - head;
    },
    push(value) {
      items.push(value);
    },
    peek() {
      return head < items.length ? items[head] : undefined;
    },
    shift() {
      if (head >= items.length) return undefined;
      const value = items[head];
      items[head++] = undefined;
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head >= RESHAPE_MIN && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return value;
    },
    clear() {
      items = [];
      head = 0;
    },
  };
}
