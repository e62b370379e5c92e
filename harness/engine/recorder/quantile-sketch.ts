/**
 * A small, fixed-size log-linear histogram for the per-second p50/p99 of the time series:
 * values below 32 µs exactly, above that 16 linear sub-buckets per power of two. 464 counts
 * (1.8 KB) cover 0 µs … 2^32 µs; a quantile is reported as the middle of its bucket, within
 * ±3.2 % of the true sample value. Reset every interval, so it costs the same at any run length.
 */

/** Sub-buckets per power of two (16 → bucket width ≤ 1/16 of its lower edge). */
const SUB_BITS = 4;
const SUB_COUNT = 1 << SUB_BITS;
/** Exact buckets 0…15, then 28 octaves (2^4 … 2^31) × 16 sub-buckets. */
const BUCKETS = SUB_COUNT + (32 - SUB_BITS) * SUB_COUNT;

/** The bucket of an integer µs value in [0, 2^32). */
function bucketOf(us: number): number {
  if (us < SUB_COUNT) return us;
  const exponent = 31 - Math.clz32(us);
  const sub = (us >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
  return SUB_COUNT + (exponent - SUB_BITS) * SUB_COUNT + sub;
}

/** The middle of a bucket, µs (exact for buckets below 16). */
function bucketMidUs(bucket: number): number {
  if (bucket < SUB_COUNT) return bucket;
  const exponent = ((bucket - SUB_COUNT) >> SUB_BITS) + SUB_BITS;
  const sub = (bucket - SUB_COUNT) & (SUB_COUNT - 1);
  const width = 2 ** (exponent - SUB_BITS);
  return (SUB_COUNT + sub) * width + Math.floor(width / 2); // width 1: exact
}

/**
 * The per-interval quantile sketch.
 *
 * @example
 * const sketch = new QuantileSketch();
 * sketch.record(12_000); // µs
 * sketch.quantileUs(0.99); // ≈ 12 000 (within 3.2 %)
 * sketch.reset();
 */
export class QuantileSketch {
  private readonly counts = new Uint32Array(BUCKETS);
  /** Values recorded since the last reset. */
  count = 0;

  /** Records an integer µs value in [0, 2^32); callers clamp (the recorder's values are ≤ 1 h). */
  record(us: number): void {
    this.counts[bucketOf(us)]!++;
    this.count++;
  }

  /** Takes back one value recorded since the last reset (nothing when its bucket is empty). */
  remove(us: number): void {
    const bucket = bucketOf(us);
    if (this.counts[bucket] === 0) return;
    this.counts[bucket]!--;
    this.count--;
  }

  /**
   * The value at quantile `q` (0–1), µs: the middle of the bucket holding the ⌈q·count⌉-th
   * smallest value. NaN when empty.
   */
  quantileUs(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return bucketMidUs(i);
    }
    return bucketMidUs(BUCKETS - 1);
  }

  reset(): void {
    if (this.count === 0) return;
    this.counts.fill(0);
    this.count = 0;
  }
}
