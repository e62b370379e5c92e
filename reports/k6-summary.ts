/**
 * The run in the shape of k6's `--summary-export` (k6 v0.48, the legacy summary): scripts and
 * dashboards that read k6's file read ours. Checked against real exports in
 * `/work/shared/k6-samples/` (see test/reports/k6-summary.test.ts).
 */
import { createHash } from 'node:crypto';
import type { MetricData, TrendData } from '../harness/engine/recorder/cells.js';
import { decodeResultMetrics } from '../harness/engine/result/codec.js';
import { combineMetricData } from '../harness/engine/result/combine.js';
import { trendStats } from '../harness/engine/result/stats.js';
import { summarise } from '../harness/engine/result/summarise.js';
import type { RunResult } from '../harness/engine/result/types.js';
import { parseThresholdKey } from '../harness/engine/thresholds/key.js';

/** A trend as k6 exports it, ms. */
export interface K6TrendSummary {
  avg: number;
  min: number;
  med: number;
  max: number;
  'p(90)': number;
  'p(95)': number;
  thresholds?: Record<string, boolean>;
}
/** A counter: total and per second. */
export interface K6CounterSummary {
  count: number;
  rate: number;
  thresholds?: Record<string, boolean>;
}
/** A rate: `value` is passes ÷ (passes + fails). */
export interface K6RateSummary {
  passes: number;
  fails: number;
  value: number;
  thresholds?: Record<string, boolean>;
}
/** A gauge: last value and extremes. */
export interface K6GaugeSummary {
  value: number;
  min: number;
  max: number;
  thresholds?: Record<string, boolean>;
}
/** One metric (or submetric `name{tag:value}`) of the export. */
export type K6MetricSummary = K6TrendSummary | K6CounterSummary | K6RateSummary | K6GaugeSummary;

/** A check of the root group, as k6 names it. */
export interface K6Check {
  name: string;
  /** `::` + name. */
  path: string;
  /** md5 of the path, as k6 computes it. */
  id: string;
  passes: number;
  fails: number;
}

/**
 * The whole `--summary-export` document.
 *
 * @example
 * const failed = Object.values(doc.metrics).some((m) => Object.values(m.thresholds ?? {}).includes(true));
 */
export interface K6SummaryExport {
  root_group: {
    groups: Record<string, never>;
    checks: Record<string, K6Check>;
    name: '';
    path: '';
    id: string;
  };
  metrics: Record<string, K6MetricSummary>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function summaryOf(item: MetricData, durationSec: number): K6MetricSummary {
  switch (item.kind) {
    case 'trend': {
      const s = trendStats(item as TrendData);
      return { avg: s.avg, min: s.min, med: s.med, max: s.max, 'p(90)': s['p(90)'], 'p(95)': s['p(95)'] };
    }
    case 'counter':
      return { count: item.count, rate: durationSec > 0 ? item.count / durationSec : 0 };
    case 'rate': {
      const all = item.passes + item.fails;
      return { passes: item.passes, fails: item.fails, value: all > 0 ? item.passes / all : 0 };
    }
    case 'gauge':
      return { value: item.value, min: item.min, max: item.max };
  }
}

/** `metric{a:1,b:2}` as k6 writes a submetric's name. */
function submetricName(metric: string, filter: Readonly<Record<string, string>>): string {
  const body = Object.entries(filter)
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
  return `${metric}{${body}}`;
}

/**
 * `result` as k6's `--summary-export`: every metric with its tag sets combined (trends
 * `avg/min/med/max/p(90)/p(95)` in ms, counters `count/rate`, rates `passes/fails/value`,
 * gauges `value/min/max`), a submetric `name{tag:value}` for each threshold with a tag filter,
 * and each threshold under its metric, `true` when it FAILED (k6's convention). The checks of a
 * scripted iteration are the root group's checks.
 *
 * @example
 * await writeFile('summary.json', JSON.stringify(renderK6Summary(result), null, 4));
 */
export function renderK6Summary(result: RunResult): K6SummaryExport {
  const durationSec = result.durationMs / 1_000;
  const data = decodeResultMetrics(result.metrics);
  const byName = new Map<string, MetricData[]>();
  for (const d of data) {
    const list = byName.get(d.name);
    if (list) list.push(d);
    else byName.set(d.name, [d]);
  }
  const metrics: Record<string, K6MetricSummary> = {};
  for (const name of [...byName.keys()].sort()) {
    const items = byName.get(name)!;
    metrics[name] = summaryOf(items.length === 1 ? items[0]! : combineMetricData(items, {}), durationSec);
  }
  for (const t of result.thresholds) {
    const key = parseThresholdKey(t.metric);
    if (!key.ok) continue;
    const { metric, filter } = key.key;
    const name = filter === null ? metric : submetricName(metric, filter);
    if (metrics[name] === undefined && filter !== null) {
      const items = (byName.get(metric) ?? []).filter((d) =>
        Object.entries(filter).every(([k, v]) => d.tags[k] === v),
      );
      if (items.length > 0) metrics[name] = summaryOf(combineMetricData(items, filter), durationSec);
    }
    const target = metrics[name];
    // A threshold on a metric with no data: k6 has no entry to put it under either.
    if (target === undefined) continue;
    target.thresholds = { ...target.thresholds, [t.expression]: !t.ok };
  }
  const checks: Record<string, K6Check> = {};
  for (const c of summarise(result).checks?.byName ?? []) {
    const path = `::${c.name}`;
    checks[c.name] = { name: c.name, path, id: md5(path), passes: c.passes, fails: c.fails };
  }
  return { root_group: { groups: {}, checks, name: '', path: '', id: md5('') }, metrics };
}
