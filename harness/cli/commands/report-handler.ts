import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  parseReportFormats,
  REPORT_FILES,
  type ReportFormat,
  renderHtml,
  renderReport,
} from '../../../reports/index.js';
import type { RunResult } from '../../engine/result/types.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { UsageError } from '../../util/errors.js';
import { createRedactor, secretsFromEnv } from '../../util/redact.js';
import type { CommandContext } from '../command-context.js';
import { readResultFile } from '../read-result-file.js';
import type { ReportArgs } from './report-args.js';

/** `result` as `format`; `json` keeps every field of the file as read (`raw`), secrets redacted. */
function render(result: RunResult, raw: unknown, format: ReportFormat): string {
  return format === 'json' ? `${JSON.stringify(raw, null, 2)}\n` : renderReport(result, format);
}

/** The results to render: one, or several for html (overlaid); several for another format is a usage error. */
async function readResults(paths: readonly string[], format: ReportFormat) {
  if (paths.length > 1 && format !== 'html') {
    throw new UsageError(
      `--format ${format} renders one result; got ${paths.length} (${paths.join(', ')}). Only --format html overlays several.`,
    );
  }
  return Promise.all(paths.map((path) => readResultFile(path)));
}

/**
 * Appends `markdown` to the file `$GITHUB_STEP_SUMMARY` names, when it is set (never
 * overwrites: other steps' summaries stay). Returns the path, or null when unset.
 *
 * @example
 * await appendStepSummary(renderReport(result, 'md'), process.env);
 */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return null;
  await appendFile(file, createRedactor(secretsFromEnv(env)).redact(`${markdown}\n`));
  return file;
}

/**
 * Writes `result` as each of `formats` into `dir` beside `result.json` (`summary.md`,
 * `junit.xml`, `k6-summary.json`, `report.html`; `json` is `result.json` itself, written already), secrets
 * redacted, and appends the Markdown to `$GITHUB_STEP_SUMMARY` when md is among them and it
 * is set. Returns the paths written. For `run --report`.
 *
 * @example
 * await writeRunReports(result, out.dir, ['md', 'junit'], ctx.env); // ['…/summary.md', '…/junit.xml']
 */
export async function writeRunReports(
  result: RunResult,
  dir: string,
  formats: readonly ReportFormat[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const redactor = createRedactor(secretsFromEnv(env));
  const written: string[] = [];
  for (const format of formats) {
    if (format === 'json') continue;
    const text = renderReport(result, format);
    const path = resolve(dir, REPORT_FILES[format]);
    await writeFileAtomic(path, redactor.redact(text));
    written.push(path);
    if (format === 'md') {
      const summary = await appendStepSummary(text, env);
      if (summary !== null) written.push(summary);
    }
  }
  return written;
}

/**
 * Runs `nexus-harness report RESULT… --format F [-o FILE]`: reads and checks the result (or,
 * for html, the results: overlaid), renders it, prints it (no `-o`, or `-o -`) or writes FILE atomically, secrets redacted;
 * md is also appended to `$GITHUB_STEP_SUMMARY` when set. Exit 0; 2 for a bad format or file.
 *
 * @example
 * await reportHandler({ result: ['result.json'], format: 'junit', output: 'junit.xml' }, ctx);
 */
export async function reportHandler(argv: ReportArgs, ctx: CommandContext): Promise<void> {
  const formats = parseReportFormats(argv.format, '--format');
  if (formats.length > 1)
    throw new UsageError(`--format takes one format; got ${formats.join(', ')}. Run report once per format.`);
  const format = formats[0]!;
  const read = await readResults(typeof argv.result === 'string' ? [argv.result] : argv.result, format);
  const text =
    read.length > 1 ? renderHtml(read.map((r) => r.result)) : render(read[0]!.result, read[0]!.raw, format);
  if (argv.output === undefined || argv.output === '-') ctx.stdout.write(text);
  else {
    const path = resolve(argv.output);
    await writeFileAtomic(path, createRedactor(secretsFromEnv(ctx.env)).redact(text));
    ctx.stderr.write(`wrote ${path}\n`);
  }
  if (format === 'md') await appendStepSummary(text, ctx.env);
}
