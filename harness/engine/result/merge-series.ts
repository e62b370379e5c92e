import type { SeriesData } from '../recorder/series.js';

/**
 * A series and when its run started (epoch ms), so series from several processes line up.
 *
 * @example
 * const input: TimedSeries = { series: r.series, startedAtMs: Date.parse(r.startedAt) };
 */
export interface TimedSeries {
  series: SeriesData;
  startedAtMs: number;
}

/** One merged interval while it is being summed. */
interface Point {
  ops: number;
  errors: number;
  rl: number;
  retries: number;
  /** Σ p50 × weight, and Σ weight (ops, at least 1 for an interval with a p50). */
  p50w: number;
  w: number;
  p90: number | null;
  p99: number | null;
}

/**
 * Merges series by wall-clock interval. The merged series starts at the earliest start and
 * uses the coarsest interval of the inputs; each input interval lands in the merged interval
 * holding its start (offsets rounded to whole seconds). Counts are summed exactly; per-interval
 * p50 is the ops-weighted mean and p90 and p99 the largest of the inputs (approximations: the
 * series keeps no histograms). The `retries` and `p90Ms` columns are merged only when every
 * input has them (results written before they were kept have neither): a sum or a maximum over
 * some of the inputs would understate them.
 *
 * @example
 * const merged = mergeSeries([{ series: a.series, startedAtMs: Date.parse(a.startedAt) },
 *   { series: b.series, startedAtMs: Date.parse(b.startedAt) }]);
 */
export function mergeSeries(inputs: readonly TimedSeries[]): SeriesData {
  const intervalSec = Math.max(1, ...inputs.map((i) => i.series.intervalSec));
  const start = Math.min(...inputs.map((i) => i.startedAtMs));
  const withRetries = inputs.every((i) => i.series.retries !== undefined);
  const withP90 = inputs.every((i) => i.series.p90Ms !== undefined);
  const points = new Map<number, Point>();
  for (const { series, startedAtMs } of inputs) {
    const offsetSec = Math.round((startedAtMs - start) / 1_000);
    series.tSec.forEach((t, i) => {
      const index = Math.floor((t + offsetSec) / intervalSec);
      let point = points.get(index);
      if (!point) {
        point = { ops: 0, errors: 0, rl: 0, retries: 0, p50w: 0, w: 0, p90: null, p99: null };
        points.set(index, point);
      }
      const ops = series.ops[i] ?? 0;
      point.ops += ops;
      point.errors += series.errors[i] ?? 0;
      point.rl += series.rateLimited[i] ?? 0;
      point.retries += series.retries?.[i] ?? 0;
      const p50 = series.p50Ms[i] ?? null;
      const p90 = series.p90Ms?.[i] ?? null;
      const p99 = series.p99Ms[i] ?? null;
      if (p50 !== null) {
        const weight = Math.max(ops, 1);
        point.p50w += p50 * weight;
        point.w += weight;
      }
      if (p90 !== null) point.p90 = point.p90 === null ? p90 : Math.max(point.p90, p90);
      if (p99 !== null) point.p99 = point.p99 === null ? p99 : Math.max(point.p99, p99);
    });
  }
  const last = points.size === 0 ? -1 : Math.max(...points.keys());
  const out: SeriesData = {
    intervalSec,
    tSec: [],
    ops: [],
    errors: [],
    rateLimited: [],
    ...(withRetries ? { retries: [] } : {}),
    p50Ms: [],
    ...(withP90 ? { p90Ms: [] } : {}),
    p99Ms: [],
  };
  for (let index = 0; index <= last; index++) {
    const point = points.get(index);
    out.tSec.push(index * intervalSec);
    out.ops.push(point?.ops ?? 0);
    out.errors.push(point?.errors ?? 0);
    out.rateLimited.push(point?.rl ?? 0);
    out.retries?.push(point?.retries ?? 0);
    out.p50Ms.push(point && point.w > 0 ? point.p50w / point.w : null);
    out.p90Ms?.push(point?.p90 ?? null);
    out.p99Ms.push(point?.p99 ?? null);
  }
  return out;
}
