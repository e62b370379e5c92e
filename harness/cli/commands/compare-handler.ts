import { compareResults } from '../../../reports/compare/compare.js';
import { parseRegressionGates } from '../../../reports/compare/gate.js';
import { COMPARE_FORMATS, isCompareFormat, renderComparison } from '../../../reports/compare/render.js';
import { UsageError } from '../../util/errors.js';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { readResultFile } from '../read-result-file.js';
import type { CompareArgs } from './compare-args.js';
import { appendStepSummary } from './report-handler.js';

/**
 * Runs `nexus-harness compare BASELINE CURRENT`: checks the flags (every bad
 * `--max-regression` named at once), reads both results, compares them, prints the comparison.
 * Exit 0, or 99 when a gate is breached; 2 for a bad flag or file.
 *
 * @example
 * await compareHandler({ baseline: 'a.json', current: 'b.json', format: 'md', tolerance: 10,
 *   maxRegression: ['op_duration:p(99)=+10%'] }, ctx);
 */
export async function compareHandler(argv: CompareArgs, ctx: CommandContext): Promise<void> {
  const format = String(argv.format);
  if (!isCompareFormat(format))
    throw new UsageError(`Unknown --format '${format}': expected ${COMPARE_FORMATS.join(', ')}.`);
  if (!(Number.isFinite(argv.tolerance) && argv.tolerance >= 0))
    throw new UsageError(`--tolerance must be a percentage ≥ 0 (e.g. 10); got ${argv.tolerance}.`);
  if (!(Number.isFinite(argv.minChangeMs) && argv.minChangeMs >= 0))
    throw new UsageError(`--min-change-ms must be a number of ms ≥ 0 (e.g. 1); got ${argv.minChangeMs}.`);
  const gates = parseRegressionGates((argv.maxRegression ?? []).map(String));
  const { result: baseline } = await readResultFile(argv.baseline, 'baseline');
  const { result: current } = await readResultFile(argv.current, 'current result');
  const comparison = compareResults(baseline, current, {
    gates,
    tolerancePct: argv.tolerance,
    minChangeMs: argv.minChangeMs,
  });
  const text = renderComparison(comparison, format);
  ctx.stdout.write(text);
  if (format === 'md') await appendStepSummary(text, ctx.env);
  ctx.exitCode = comparison.breached.length > 0 ? EXIT_CODES.THRESHOLDS_FAILED : EXIT_CODES.OK;
}
