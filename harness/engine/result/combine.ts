/**
 * Combining the data of several (metric, tag set)s into one: for merging results from several
 * processes and for thresholds whose tag filter selects several tag sets. Exact for trends
 * (HdrHistogram counts added, exact min/max/sum), counters and rates (summed).
 *
 * Gauges have no single right combination; the rule here: `vus` and `vus_max` count things
 * that add up across processes and tag sets, so their values (and maxima) are summed; for any
 * other gauge the largest value wins (conservative for ratios such as `retry_amplification`,
 * where larger is worse).
 */
import { ERROR_CODES, HarnessError } from '../../util/errors.js';
import {
  type CounterData,
  type GaugeData,
  type MetricData,
  type RateData,
  type TrendData,
  TrendSnapshot,
} from '../recorder/cells.js';
import { HDR_COUNTS_LENGTH, hdrIndexOf } from '../recorder/hdr.js';
import { canonicalTagKey, sortedTags } from '../recorder/tag-key.js';

/** Gauges whose values add up across processes and tag sets. */
const ADDITIVE_GAUGES: ReadonlySet<string> = new Set(['vus', 'vus_max']);

/**
 * One data item for `items` (all of the same metric and kind), under `tags`.
 *
 * @example
 * const all = combineMetricData(cells.filter((c) => c.name === 'http_reqs'), {});
 */
export function combineMetricData(
  items: readonly MetricData[],
  tags: Readonly<Record<string, string>>,
): MetricData {
  const first = items[0];
  if (!first)
    throw new HarnessError(ERROR_CODES.resultMerge, 'Failed to combine metric data: nothing to combine.');
  for (const item of items) {
    if (item.kind !== first.kind || item.name !== first.name) {
      throw new HarnessError(
        ERROR_CODES.resultMerge,
        `Failed to combine metric data: '${item.name}' (${item.kind}) with '${first.name}' (${first.kind}). ` +
          'Results to merge must agree on every metric kind.',
      );
    }
  }
  const name = first.name;
  const frozen = sortedTags(tags);
  const key = canonicalTagKey(tags);
  switch (first.kind) {
    case 'trend': {
      const counts = new Uint32Array(HDR_COUNTS_LENGTH);
      let count = 0;
      let minUs = Number.POSITIVE_INFINITY;
      let maxUs = Number.NEGATIVE_INFINITY;
      let sumUs = 0;
      let invalid = 0;
      for (const t of items as readonly TrendData[]) {
        if (t.count > 0) {
          // Only the occupied range: from the bucket of the smallest value to that of the largest.
          const source = t.counts;
          const last = hdrIndexOf(t.maxUs);
          for (let i = hdrIndexOf(t.minUs); i <= last; i++) {
            const sum = counts[i]! + source[i]!;
            // A Uint32Array would wrap silently, and the merge would blame a file for it.
            if (sum > 0xffff_ffff) throw bucketOverflow(name, key, i);
            counts[i] = sum;
          }
        }
        count += t.count;
        minUs = Math.min(minUs, t.minUs);
        maxUs = Math.max(maxUs, t.maxUs);
        sumUs += t.sumUs;
        invalid += t.invalid;
      }
      return new TrendSnapshot({ name, tags: frozen, key, counts, count, minUs, maxUs, sumUs, invalid });
    }
    case 'counter': {
      let count = 0;
      for (const c of items as readonly CounterData[]) count += c.count;
      return { kind: 'counter', name, tags: frozen, key, count };
    }
    case 'rate': {
      let passes = 0;
      let fails = 0;
      for (const r of items as readonly RateData[]) {
        passes += r.passes;
        fails += r.fails;
      }
      return { kind: 'rate', name, tags: frozen, key, passes, fails };
    }
    case 'gauge': {
      const gauges = items as readonly GaugeData[];
      const additive = ADDITIVE_GAUGES.has(name);
      let value = additive ? 0 : Number.NEGATIVE_INFINITY;
      let max = additive ? 0 : Number.NEGATIVE_INFINITY;
      let min = Number.POSITIVE_INFINITY;
      let sets = 0;
      for (const g of gauges) {
        value = additive ? value + g.value : Math.max(value, g.value);
        max = additive ? max + g.max : Math.max(max, g.max);
        min = Math.min(min, g.min);
        sets += g.sets;
      }
      return { kind: 'gauge', name, tags: frozen, key, value, min, max, sets };
    }
  }
}

/** A merged bucket past 32-bit counts: too many values of one latency for one histogram. */
function bucketOverflow(name: string, key: string, index: number): HarnessError {
  return new HarnessError(
    ERROR_CODES.resultMerge,
    `Failed to combine '${name}' ${key}: one of its histogram buckets (index ${index}) would hold more than ` +
      `${0xffff_ffff} values, the most a 32-bit count can: these results cannot be one histogram.`,
  );
}
