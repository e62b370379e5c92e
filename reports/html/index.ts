/**
 * The self-contained HTML report: one file with its charts (uPlot, inlined), tables and data,
 * that loads nothing from the network. `renderHtml` for a saved run (or several, overlaid);
 * `pageDataOf` and `pageHtml` for the live dashboard, which serves the same page.
 */
import type { RunResult } from '../../harness/engine/result/types.js';
import { pageDataOf } from './page-data.js';
import { pageHtml } from './page-template.js';

export type { ChartData, ChartLine } from './chart-data.js';
export { chartsOf } from './chart-data.js';
export { jsonForScript } from './json-script.js';
export type { PageData } from './page-data.js';
export { pageDataOf } from './page-data.js';
export { PAGE_CSP, pageHtml } from './page-template.js';
export type { DistributionPoint } from './percentile-distribution.js';
export { percentileDistribution } from './percentile-distribution.js';

/**
 * `results` as one self-contained HTML page: a verdict banner, headline figures, charts
 * (latency by percentile, percentiles over time, throughput and goodput, 429s and retries,
 * queue time and schedule lateness; several runs overlaid) and tables (thresholds, operations,
 * responses, errors, audit, completion, setup, metadata, the scenario). Light and dark mode.
 *
 * @example
 * writeFileSync('report.html', renderHtml(result));
 * writeFileSync('compare.html', renderHtml([baseline, current])); // overlaid
 */
export function renderHtml(results: readonly RunResult[] | RunResult): string {
  const list = Array.isArray(results) ? results : [results as RunResult];
  return pageHtml(pageDataOf(list), { live: false });
}
