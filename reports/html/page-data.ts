/**
 * Everything the HTML page shows, as one JSON-able value: the runs' views and the charts. The
 * static report embeds it; the live dashboard sends a new one each second.
 */
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import type { ResultMetrics, RunResult } from '../../harness/engine/result/types.js';
import { type ChartData, chartsOf, PAGE_TRENDS } from './chart-data.js';
import { type RunView, runView } from './run-view.js';

/** What the page renders. */
export interface PageData {
  /** The document's title. */
  title: string;
  /** `final`: a finished run (or runs); `running`: a live run's snapshot (the dashboard). */
  state: 'final' | 'running';
  /** When this was rendered, ISO 8601. */
  generatedAt: string;
  runs: RunView[];
  charts: ChartData[];
}

/** `metrics` without the trends the page does not read (their histograms cost time to decode). */
function pageMetrics(metrics: ResultMetrics): ResultMetrics {
  return Object.fromEntries(
    Object.entries(metrics).filter(([name, m]) => m.kind !== 'trend' || PAGE_TRENDS.has(name)),
  );
}

/** The tag of the run at `index` when several are overlaid: A, B, … Z, then 27, 28, … */
function tagOf(index: number, of: number): string {
  if (of === 1) return '';
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}

/**
 * The page's data for `results` (one run, or several overlaid in the charts, each with its own
 * tables). `state: 'running'` marks a live snapshot.
 *
 * @example
 * const data = pageDataOf([baseline, current]);
 * data.charts[0].lines.map((l) => l.label); // ['op_duration · A', …, 'op_duration · B', …]
 */
export function pageDataOf(
  results: readonly RunResult[],
  options: { state?: PageData['state']; now?: Date } = {},
): PageData {
  const runs = results.map((result, i) => ({
    tag: tagOf(i, results.length),
    result,
    data: decodeResultMetrics(pageMetrics(result.metrics)),
  }));
  const state = options.state ?? 'final';
  const views = runs.map((r) => runView(r.result, r.data, r.tag, state === 'running'));
  const title =
    views.length === 0
      ? 'nexus-harness — waiting for the first figures'
      : views.length === 1
        ? `${views[0]!.scenario} — ${state === 'running' ? 'running' : views[0]!.verdict} · nexus-harness`
        : `${views.length} runs: ${views.map((v) => `${v.tag} ${v.scenario}`).join(', ')} · nexus-harness`;
  return {
    title,
    state,
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs: views,
    charts: chartsOf(runs),
  };
}
