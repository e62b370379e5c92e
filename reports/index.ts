/**
 * Reports of a run: the result document rendered for people and for CI. Each renderer is a
 * pure function of the result; writing files and `$GITHUB_STEP_SUMMARY` is the CLI's.
 */
import type { RunResult } from '../harness/engine/result/types.js';
import { renderJunit } from './junit.js';
import { renderK6Summary } from './k6-summary.js';
import { renderMarkdown } from './markdown.js';

export type { AuditCheck, AuditFacts, OperationRow } from './facts.js';
export { auditOf, measuredOf, operationRows, thresholdStatusOf, verdictOf } from './facts.js';
export { renderJunit, xmlEscape } from './junit.js';
export type { K6Check, K6MetricSummary, K6SummaryExport } from './k6-summary.js';
export { renderK6Summary } from './k6-summary.js';
export { renderMarkdown } from './markdown.js';
export type { MetadataInput } from './metadata.js';
export { argsOfParsed, collectMetadata, commandLineOf } from './metadata.js';

/**
 * The formats `report --format` and `run --report` accept, in the order help lists them.
 *
 * @example
 * REPORT_FORMATS.includes('junit') // true
 */
export const REPORT_FORMATS = ['md', 'junit', 'json', 'k6'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Whether `value` names a report format.
 *
 * @example
 * isReportFormat('html') // false (not built yet)
 */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * The file each format is written to beside `result.json` by `run --report`.
 *
 * @example
 * join(outDir, REPORT_FILES.junit) // …/junit.xml
 */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  md: 'summary.md',
  junit: 'junit.xml',
  json: 'result.json',
  k6: 'k6-summary.json',
};

/**
 * `result` rendered as `format`: Markdown, JUnit XML, the result document itself (JSON), or
 * k6's `--summary-export` shape. Ends with a newline.
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
  }
}
