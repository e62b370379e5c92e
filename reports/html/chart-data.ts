/**
 * The charts of the HTML report, as data: for each, its x values and its lines. Computed here
 * (in Node, from the decoded histograms and the per-interval series) so the page only draws;
 * several runs are overlaid, each line of a later run dashed.
 */
import type { MetricData, TrendData } from '../../harness/engine/recorder/cells.js';
import { combineMetricData } from '../../harness/engine/result/combine.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { percentileDistribution } from './percentile-distribution.js';

/** One line of a chart. */
export interface ChartLine {
  label: string;
  /** One value per x of the chart; null where the line has none. */
  values: (number | null)[];
  /** Colour slot in the page's palette (the same quantity has the same colour in every run). */
  color: number;
  /** 0 solid (the first run), 1 dashed, 2 dotted, … */
  dash: number;
}

/** One chart: a percentile distribution (x = 1/(1−p), log) or a time series (x = s since start). */
export interface ChartData {
  id: string;
  title: string;
  /** One sentence on what it shows, under the title. */
  caption: string;
  kind: 'distribution' | 'time';
  /** Unit of the y axis (`ms`, `/s`). */
  yUnit: string;
  x: number[];
  lines: ChartLine[];
  /** Why there is nothing to draw (no line has a value); null when there is. */
  empty: string | null;
}

/** A run as the charts need it: its label, its decoded metrics and its series. */
export interface ChartRun {
  /** `A`, `B`, … when several runs are overlaid; '' for one. */
  tag: string;
  data: readonly MetricData[];
  result: Pick<RunResult, 'series' | 'durationMs'>;
}

/** Trends whose distribution the latency chart overlays, in this order, when recorded. */
export const LATENCY_TRENDS = ['op_duration', 'http_req_duration', 'queue_time'] as const;
/** Trends of the generator's own delays. */
export const GENERATOR_TRENDS = ['queue_time', 'schedule_lateness'] as const;
/**
 * Every trend the page reads (charts and headline figures): the only histograms worth decoding
 * (about 2 ms each; the live dashboard decodes a snapshot every second).
 */
export const PAGE_TRENDS: ReadonlySet<string> = new Set([...LATENCY_TRENDS, ...GENERATOR_TRENDS]);

/** Palette slots by quantity, so a quantity keeps its colour across charts. */
const COLOR: Record<string, number> = {
  op_duration: 0,
  http_req_duration: 1,
  queue_time: 2,
  schedule_lateness: 4,
  p50: 1,
  p90: 2,
  p99: 3,
  throughput: 0,
  goodput: 1,
  rateLimited: 3,
  retries: 4,
};

/** Every tag set of `name` in `data` combined into one trend; null when it has no sample. */
export function trendTotal(data: readonly MetricData[], name: string): TrendData | null {
  const trends = data.filter((d): d is TrendData => d.name === name && d.kind === 'trend');
  if (trends.length === 0) return null;
  const all = combineMetricData(trends, {}) as TrendData;
  return all.count === 0 ? null : all;
}

const labelOf = (what: string, tag: string) => (tag === '' ? what : `${what} · ${tag}`);

/** Lines sharing one x axis: the union of every line's own xs, sorted; null elsewhere. */
function aligned(lines: { line: Omit<ChartLine, 'values'>; points: Map<number, number | null> }[]): {
  x: number[];
  lines: ChartLine[];
} {
  const x = [...new Set(lines.flatMap((l) => [...l.points.keys()]))].sort((a, b) => a - b);
  return {
    x,
    lines: lines.map(({ line, points }) => ({ ...line, values: x.map((v) => points.get(v) ?? null) })),
  };
}

function chart(
  base: Omit<ChartData, 'x' | 'lines' | 'empty'>,
  lines: Parameters<typeof aligned>[0],
  emptyWhy: string,
): ChartData {
  const { x, lines: out } = aligned(lines);
  const any = out.some((l) => l.values.some((v) => v !== null));
  return { ...base, x, lines: out, empty: any ? null : emptyWhy };
}

/** The percentile distribution of `names` in every run, overlaid. */
function distributionChart(
  runs: readonly ChartRun[],
  names: readonly string[],
  base: Omit<ChartData, 'x' | 'lines' | 'empty' | 'kind' | 'yUnit'>,
): ChartData {
  const lines: Parameters<typeof aligned>[0] = [];
  runs.forEach((run, r) => {
    for (const name of names) {
      const trend = trendTotal(run.data, name);
      if (trend === null) continue;
      const points = new Map<number, number | null>();
      // Clamped to the histograms' 1 µs floor: the page draws these on a log axis.
      for (const p of percentileDistribution(trend)) points.set(p.x, Math.max(p.ms, 0.001));
      lines.push({ line: { label: labelOf(name, run.tag), color: COLOR[name] ?? 0, dash: r }, points });
    }
  });
  return chart({ ...base, kind: 'distribution', yUnit: 'ms' }, lines, `no ${names.join(' or ')} recorded`);
}

/**
 * The length of interval `i` that the run covered, s: the last interval is cut by the end of
 * the run (a rate over its full length would show a dip that did not happen).
 */
function coveredSec(result: ChartRun['result'], i: number): number {
  const { intervalSec, tSec } = result.series;
  return Math.min(intervalSec, result.durationMs / 1_000 - (tSec[i] ?? 0));
}

/** Per-interval values of `f` as points at each interval's start, s; null where `f` is. */
function seriesPoints(
  result: ChartRun['result'],
  f: (i: number) => number | null | undefined,
): Map<number, number | null> {
  const points = new Map<number, number | null>();
  result.series.tSec.forEach((t, i) => {
    points.set(t, f(i) ?? null);
  });
  return points;
}

/**
 * A count per interval as a rate per second; null for a last interval the run covered for less
 * than a quarter of its length (too short to be a rate).
 */
function perSecond(result: ChartRun['result'], column: readonly number[] | undefined) {
  return (i: number): number | null => {
    const covered = coveredSec(result, i);
    const count = column?.[i];
    if (count === undefined || covered < result.series.intervalSec / 4) return null;
    return count / covered;
  };
}

/**
 * The report's charts for `runs`: latency distribution, percentiles over time, throughput and
 * goodput, 429s and retries, the generator's queue time and schedule lateness. A chart with
 * nothing to draw says why (`empty`); series columns a result does not have (p90, retries in
 * older results) are left out, not drawn as zeros.
 *
 * @example
 * chartsOf([{ tag: '', data: decodeResultMetrics(r.metrics), result: r }]).map((c) => c.id);
 * // ['latency', 'latency-over-time', 'throughput', 'rate-limited', 'generator']
 */
export function chartsOf(runs: readonly ChartRun[]): ChartData[] {
  const overTime = (
    quantities: { key: string; label: string; f: (run: ChartRun) => ((i: number) => number | null) | null }[],
  ) =>
    runs.flatMap((run, r) =>
      quantities.flatMap(({ key, label, f }) => {
        const at = f(run);
        if (at === null) return [];
        return [
          {
            line: { label: labelOf(label, run.tag), color: COLOR[key] ?? 0, dash: r },
            points: seriesPoints(run.result, at),
          },
        ];
      }),
    );
  const intervalNote = (() => {
    const sec = Math.max(1, ...runs.map((r) => r.result.series.intervalSec));
    return sec === 1 ? 'per second' : `per ${sec}-s interval`;
  })();
  return [
    distributionChart(runs, LATENCY_TRENDS, {
      id: 'latency',
      title: 'Latency by percentile',
      caption:
        'op_duration from the intended start, http_req_duration on the wire, queue_time in the client; x = 1/(1−p), so the tail gets room',
    }),
    chart(
      {
        id: 'latency-over-time',
        title: 'Latency over time',
        caption: `op_duration p50, p90 and p99 ${intervalNote}, of the operations that succeeded (from a ±3 % sketch)`,
        kind: 'time',
        yUnit: 'ms',
      },
      overTime([
        { key: 'p50', label: 'p50', f: (run) => (i) => run.result.series.p50Ms[i] ?? null },
        {
          key: 'p90',
          label: 'p90',
          f: (run) =>
            run.result.series.p90Ms === undefined ? null : (i) => run.result.series.p90Ms?.[i] ?? null,
        },
        { key: 'p99', label: 'p99', f: (run) => (i) => run.result.series.p99Ms[i] ?? null },
      ]),
      'no operation completed',
    ),
    chart(
      {
        id: 'throughput',
        title: 'Throughput and goodput',
        caption: 'operations completed per second, and those that succeeded (ops − failed)',
        kind: 'time',
        yUnit: '/s',
      },
      overTime([
        { key: 'throughput', label: 'ops/s', f: (run) => perSecond(run.result, run.result.series.ops) },
        {
          key: 'goodput',
          label: 'goodput/s',
          f: (run) =>
            perSecond(
              run.result,
              run.result.series.ops.map((n, i) => n - (run.result.series.errors[i] ?? 0)),
            ),
        },
      ]),
      'no operation completed',
    ),
    chart(
      {
        id: 'rate-limited',
        title: '429s and retries',
        caption: 'responses rate-limited (429) and attempts retried, per second',
        kind: 'time',
        yUnit: '/s',
      },
      overTime([
        {
          key: 'rateLimited',
          label: '429/s',
          f: (run) => perSecond(run.result, run.result.series.rateLimited),
        },
        {
          key: 'retries',
          label: 'retries/s',
          f: (run) =>
            run.result.series.retries === undefined ? null : perSecond(run.result, run.result.series.retries),
        },
      ]),
      'no interval recorded',
    ),
    distributionChart(runs, GENERATOR_TRENDS, {
      id: 'generator',
      title: 'Queue time and schedule lateness',
      caption:
        "time waited in the client's limiter and pool, and how late the generator started an iteration (arrival-rate executors)",
    }),
  ];
}
