/**
 * The report formats and their file names: no renderer imported, so `run --help` and flag
 * checks stay cheap.
 */
import { UsageError } from '../harness/util/errors.js';

/**
 * The formats `report --format` and `run --report` accept, in the order help lists them.
 *
 * @example
 * REPORT_FORMATS.includes('junit') // true
 */
export const REPORT_FORMATS = ['md', 'junit', 'json', 'k6', 'html'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Whether `value` names a report format.
 *
 * @example
 * isReportFormat('html') // true
 * isReportFormat('pdf') // false
 */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * The formats named by `value` (`md,junit` or repeated flags), deduplicated, in the order
 * given. Throws a `UsageError` (exit 2) naming each unknown one and listing the allowed ones.
 *
 * @example
 * parseReportFormats(['md,junit', 'k6']) // ['md', 'junit', 'k6']
 * parseReportFormats('pdf') // throws: Unknown report format 'pdf': expected md, junit, json, k6 or html
 */
export function parseReportFormats(value: string | readonly string[], flag = '--report'): ReportFormat[] {
  const words = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => String(v).split(','))
    .map((w) => w.trim())
    .filter((w) => w !== '');
  const unknown = words.filter((w) => !isReportFormat(w));
  if (unknown.length > 0) {
    const allowed = `${REPORT_FORMATS.slice(0, -1).join(', ')} or ${REPORT_FORMATS.at(-1)}`;
    throw new UsageError(
      `Unknown report format${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `'${w}'`).join(', ')} in ${flag}: expected ${allowed}${flag === '--report' ? ' (comma-separated for several)' : ''}.`,
    );
  }
  if (words.length === 0)
    throw new UsageError(
      `${flag} needs a format: ${REPORT_FORMATS.slice(0, -1).join(', ')} or ${REPORT_FORMATS.at(-1)}.`,
    );
  return [...new Set(words as ReportFormat[])];
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
  html: 'report.html',
};
