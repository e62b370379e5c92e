import { readFile } from 'node:fs/promises';
import { compareResults } from '../../../reports/compare/compare.js';
import { parseRegressionGates } from '../../../reports/compare/gate.js';
import { COMPARE_FORMATS, isCompareFormat, renderComparison } from '../../../reports/compare/render.js';
import { parseResult } from '../../engine/result/parse-result.js';
import { RESULT_SCHEMA, type RunResult } from '../../engine/result/types.js';
import { UsageError } from '../../util/errors.js';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CompareArgs } from './compare-args.js';
import { appendStepSummary } from './report-handler.js';

/** Reads `path` as a result document; every way it is not one is a `UsageError` (exit 2) naming it. */
async function readResult(path: string, role: string): Promise<RunResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    const why =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new UsageError(`Failed to read the ${role} ${path}: ${why}. Pass the result.json a run wrote.`, {
      cause,
    });
  }
  const schema = (raw as { schema?: unknown } | null)?.schema;
  if (schema !== RESULT_SCHEMA)
    throw new UsageError(
      `Failed to read the ${role} ${path}: not a nexus-harness result (its "schema" is ${JSON.stringify(schema ?? null)}, expected "${RESULT_SCHEMA}"). Pass the result.json a run wrote.`,
    );
  return parseResult(raw, path);
}

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
  const baseline = await readResult(argv.baseline, 'baseline');
  const current = await readResult(argv.current, 'current result');
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
