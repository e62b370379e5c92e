/**
 * Reports of a run: the result document rendered for people and for CI. Each renderer is a
 * pure function of the result; writing files and `$GITHUB_STEP_SUMMARY` is the CLI's.
 */
import type { RunResult } from '../harness/engine/result/types.js';
import type { ReportFormat } from './formats.js';
import { renderHtml } from './html/index.js';
import { renderJunit } from './junit.js';
import { renderK6Summary } from './k6-summary.js';
import { renderMarkdown } from './markdown.js';

export type { AuditCheck, AuditFacts, OperationRow } from './facts.js';
export { auditOf, measuredOf, operationRows, thresholdStatusOf, verdictOf } from './facts.js';
export type { ReportFormat } from './formats.js';
export { isReportFormat, parseReportFormats, REPORT_FILES, REPORT_FORMATS } from './formats.js';
export type { PageData } from './html/index.js';
export { pageDataOf, pageHtml, renderHtml } from './html/index.js';
export { renderJunit, xmlEscape } from './junit.js';
export type { K6Check, K6MetricSummary, K6SummaryExport } from './k6-summary.js';
export { renderK6Summary } from './k6-summary.js';
export { renderMarkdown } from './markdown.js';
export type { MetadataInput } from './metadata.js';
export { argsOfParsed, collectMetadata, commandLineOf } from './metadata.js';

/**
 * `result` rendered as `format`: Markdown, JUnit XML, the result document itself (JSON),
 * k6's `--summary-export` shape, or the self-contained HTML page. Ends with a newline.
 *
 * @example
 * process.stdout.write(renderReport(result, 'md'));
 */
export function renderReport(result: RunResult, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(result);
    case 'junit':
      return renderJunit(result);
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'k6':
      return `${JSON.stringify(renderK6Summary(result), null, 4)}\n`;
    case 'html':
      return renderHtml(result);
  }
}
