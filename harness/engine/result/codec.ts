/**
 * Between the recorder's live data and the result's `metrics`: encoding (stats plus the
 * compressed histogram) and decoding (back to data that merges and aggregates exactly).
 */
import { ERROR_CODES, HarnessError } from '../../util/errors.js';
import { type MetricData, TrendSnapshot } from '../recorder/cells.js';
import { US_PER_MS } from '../recorder/hdr.js';
import { decodeCountsBase64, encodeCountsBase64 } from '../recorder/hdr-codec.js';
import { canonicalTagKey } from '../recorder/tag-key.js';
import { METRICS, type MetricKind } from '../types.js';
import { counterStats, gaugeStats, rateStats, trendStats } from './stats.js';
import type { ResultMetric, ResultMetrics } from './types.js';

/**
 * Anything with metric data and a run length: the recorder, or a test double.
 *
 * @example
 * snapshotToResultMetrics({ metrics: () => cells, elapsedMs: () => 10_000 });
 */
export interface MetricsSnapshotSource {
  metrics(): readonly MetricData[];
  /** Ms the run has lasted; counters' `rate` is per second of it. */
  elapsedMs(): number;
}

function unitOf(name: string, kind: MetricKind): string {
  const known = (METRICS as Record<string, { unit: string } | undefined>)[name];
  return known?.unit ?? (kind === 'trend' ? 'ms' : kind === 'rate' ? 'ratio' : '');
}

/**
 * The counts behind each histogram text this process encoded, by the result entry holding the
 * text. Every run's end decodes what it has just encoded (the summary, the thresholds): an
 * inflate and a pass over every bucket per trend tag set, for counts still in memory. An entry
 * whose text was replaced since is decoded from its text, as any other.
 */
const encodedCounts = new WeakMap<object, { histogram: string; counts: Uint32Array }>();

/** True for data worth writing: trends and gauges only once they hold a value. */
function hasData(d: MetricData): boolean {
  if (d.kind === 'trend') return d.count > 0;
  if (d.kind === 'gauge') return d.sets > 0;
  return true;
}

/**
 * Encodes metric data as the result's `metrics`: metric names sorted, tag sets sorted by
 * their number of tags, then their canonical key (the untagged total first), counter rates per second of `elapsedSec`. Empty trends and gauges
 * never set are left out.
 *
 * @example
 * const metrics = encodeMetricData(recorder.metrics(), recorder.elapsedMs() / 1000);
 */
export function encodeMetricData(data: readonly MetricData[], elapsedSec: number): ResultMetrics {
  const byName = new Map<string, MetricData[]>();
  for (const d of data) {
    if (!hasData(d)) continue;
    const list = byName.get(d.name);
    if (list) list.push(d);
    else byName.set(d.name, [d]);
  }
  const out: ResultMetrics = {};
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name)!;
    const keyed = list.map((d) => ({ d, size: Object.keys(d.tags).length, key: canonicalTagKey(d.tags) }));
    keyed.sort((a, b) => a.size - b.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const kind = list[0]!.kind;
    const unit = unitOf(name, kind);
    const tagsOf = (d: MetricData) => ({ ...d.tags });
    let metric: ResultMetric;
    switch (kind) {
      case 'trend':
        metric = {
          kind,
          unit,
          values: keyed.map(({ d }) => {
            if (d.kind !== 'trend') throw mixedKinds(name);
            const histogram = encodeCountsBase64(d.counts);
            const entry = { tags: tagsOf(d), stats: trendStats(d), histogram };
            // A copy: the recorder's cells go on counting.
            encodedCounts.set(entry, { histogram, counts: d.counts.slice() });
            return entry;
          }),
        };
        break;
      case 'counter':
        metric = {
          kind,
          unit,
          values: keyed.map(({ d }) => {
            if (d.kind !== 'counter') throw mixedKinds(name);
            return { tags: tagsOf(d), stats: counterStats(d, elapsedSec) };
          }),
        };
        break;
      case 'rate':
        metric = {
          kind,
          unit,
          values: keyed.map(({ d }) => {
            if (d.kind !== 'rate') throw mixedKinds(name);
            return { tags: tagsOf(d), stats: rateStats(d) };
          }),
        };
        break;
      case 'gauge':
        metric = {
          kind,
          unit,
          values: keyed.map(({ d }) => {
            if (d.kind !== 'gauge') throw mixedKinds(name);
            return { tags: tagsOf(d), stats: gaugeStats(d) };
          }),
        };
        break;
    }
    out[name] = metric;
  }
  return out;
}

function mixedKinds(name: string): HarnessError {
  return new HarnessError(
    ERROR_CODES.resultInvalid,
    `Failed to encode metric '${name}': its tag sets are of different kinds.`,
  );
}

/**
 * The result's `metrics` for everything the recorder holds so far: per metric its kind, unit,
 * and per tag set the figures plus, for trends, the encoded histogram. Encoding costs about a
 * millisecond per trend tag set; mid-run threshold checks can use `recorder.metrics()` instead.
 *
 * @example
 * recorder.stop();
 * const metrics = snapshotToResultMetrics(recorder);
 * metrics.op_duration?.values[0]?.stats['p(99)'];
 */
export function snapshotToResultMetrics(recorder: MetricsSnapshotSource): ResultMetrics {
  return encodeMetricData(recorder.metrics(), recorder.elapsedMs() / 1_000);
}

/**
 * Decodes a result's `metrics` back into data: histograms decoded into harness-bound
 * histograms, exact min/max/sum recovered from the stats (they are whole µs). Throws
 * `NH_RESULT_INVALID` on a histogram that does not decode.
 *
 * @example
 * const data = decodeResultMetrics(result.metrics);
 */
export function decodeResultMetrics(metrics: ResultMetrics): MetricData[] {
  const out: MetricData[] = [];
  for (const [name, metric] of Object.entries(metrics)) {
    for (const entry of metric.values) {
      const tags = Object.freeze({ ...entry.tags });
      const key = canonicalTagKey(tags);
      switch (metric.kind) {
        case 'trend': {
          const e = entry as (typeof metric.values)[number];
          let counts: Uint32Array;
          try {
            const known = encodedCounts.get(e);
            // A copy of what was encoded: what is decoded is the caller's to change.
            counts =
              known !== undefined && known.histogram === e.histogram
                ? known.counts.slice()
                : decodeCountsBase64(e.histogram);
          } catch (cause) {
            throw new HarnessError(
              ERROR_CODES.resultInvalid,
              `Failed to decode the histogram of '${name}' ${key}: ${(cause as Error)?.message ?? cause}. ` +
                'The result file is damaged or was not written by nexus-harness.',
              { cause },
            );
          }
          const count = e.stats.count;
          let histogramCount = 0;
          for (let i = 0; i < counts.length; i++) histogramCount += counts[i]!;
          if (histogramCount !== count) {
            throw new HarnessError(
              ERROR_CODES.resultInvalid,
              `Failed to decode '${name}' ${key}: its histogram holds ${histogramCount} values but its stats say ` +
                `${count}. The result file was edited or damaged; re-run or restore it.`,
            );
          }
          out.push(
            new TrendSnapshot({
              name,
              tags,
              key,
              counts,
              count,
              minUs: count > 0 ? Math.round(e.stats.min * US_PER_MS) : Number.POSITIVE_INFINITY,
              maxUs: count > 0 ? Math.round(e.stats.max * US_PER_MS) : Number.NEGATIVE_INFINITY,
              sumUs: Math.round(e.stats.sum * US_PER_MS),
              invalid: 0,
            }),
          );
          break;
        }
        case 'counter': {
          const e = entry as (typeof metric.values)[number];
          out.push({ kind: 'counter', name, tags, key, count: e.stats.count });
          break;
        }
        case 'rate': {
          const e = entry as (typeof metric.values)[number];
          out.push({ kind: 'rate', name, tags, key, passes: e.stats.passes, fails: e.stats.fails });
          break;
        }
        case 'gauge': {
          const e = entry as (typeof metric.values)[number];
          out.push({
            kind: 'gauge',
            name,
            tags,
            key,
            value: e.stats.value,
            min: e.stats.min,
            max: e.stats.max,
            sets: 1,
          });
          break;
        }
      }
    }
  }
  return out;
}
