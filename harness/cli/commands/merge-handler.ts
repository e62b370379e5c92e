import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mergeResults } from '../../engine/result/merge-results.js';
import type { RunResult } from '../../engine/result/types.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { ERROR_CODES, HarnessError, UsageError } from '../../util/errors.js';
import { createRedactor, secretsFromEnv } from '../../util/redact.js';
import type { CommandContext } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { readResultFile } from '../read-result-file.js';
import { formatRunSummary } from '../run-summary.js';
import { styleFor } from '../terminal-style.js';

/** The arguments of `nexus-harness merge`, as yargs parses them. */
export interface MergeArgs {
  /** The results to merge: one file or more. */
  results: string[];
  /** Where the merged result goes; absent: nowhere (only the summary). */
  output?: string;
}

const scenarioName = (r: RunResult): string =>
  String((r.scenario as { name?: unknown } | null)?.name ?? '(unnamed)');

/**
 * Refuses an `-o` the merged result cannot go to, before anything is read: a folder, a path
 * whose folder does not exist, or one of the results being merged (it would be overwritten).
 */
function checkOutputPath(output: string, inputs: ReadonlySet<string>): void {
  const path = resolve(output);
  if (inputs.has(path)) {
    throw new UsageError(
      `-o ${output} is one of the results to merge: write the merged result to another file.`,
    );
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(
      `-o ${output} is a folder: give the merged result's file name, e.g. -o ${join(output, 'merged.json')}.`,
    );
  }
  if (!existsSync(dirname(path))) {
    throw new UsageError(
      `-o ${output}: the folder ${dirname(path)} does not exist. Create it first, or write elsewhere.`,
    );
  }
}

/**
 * Merges results: reads every file (each one that is not a result named), refuses runs of
 * different scenarios naming the files, merges them with `mergeResults` (which refuses
 * segments that do not make a whole), writes the merged result when asked and prints its
 * summary. Exit code from the merged verdict (0, 99, 105); 2 for a bad file or a bad mix.
 *
 * @example
 * await mergeHandler({ results: ['a/result.json', 'b/result.json'], output: 'merged.json' }, ctx);
 */
export async function mergeHandler(argv: MergeArgs, ctx: CommandContext): Promise<void> {
  const files = (typeof argv.results === 'string' ? [argv.results] : (argv.results ?? [])).map(String);
  if (files.length === 0)
    throw new UsageError('merge needs the result files to merge, e.g. merge /results/*/result.json.');
  if (Array.isArray(argv.output))
    throw new UsageError(`-o was given ${argv.output.length} times; give it once.`);
  const seen = new Set<string>();
  for (const file of files) {
    const path = resolve(file);
    if (seen.has(path))
      throw new UsageError(`${file} is given twice: merging a result with itself would count it twice.`);
    seen.add(path);
  }
  if (argv.output !== undefined) checkOutputPath(String(argv.output), seen);
  const results: RunResult[] = [];
  for (const file of files) results.push((await readResultFile(file, 'result to merge')).result);
  const names = new Map<string, string[]>();
  for (const [i, r] of results.entries()) {
    names.set(scenarioName(r), [...(names.get(scenarioName(r)) ?? []), files[i]!]);
  }
  if (names.size > 1) {
    const which = [...names].map(([name, of]) => `${name}: ${of.join(', ')}`).join('; ');
    throw new UsageError(
      `Refusing to merge runs of different scenarios (${which}): merge the parts of one run only.`,
    );
  }
  let merged: RunResult;
  try {
    merged = mergeResults(results[0]!, ...results.slice(1));
  } catch (err) {
    // Results that are not the parts of one run are the user's to fix: exit 2, not 1.
    if (HarnessError.is(err) && err.code === ERROR_CODES.resultMerge) {
      throw new UsageError(`${err.message} (files: ${files.join(', ')})`, { cause: err });
    }
    throw err;
  }
  let path: string | null = null;
  if (argv.output !== undefined) {
    path = resolve(String(argv.output));
    const text = createRedactor(secretsFromEnv(ctx.env)).redact(`${JSON.stringify(merged, null, 2)}\n`);
    await writeFileAtomic(path, text);
  }
  ctx.stdout.write(`merged ${results.length} result(s) of scenario ${scenarioName(merged)}\n`);
  ctx.stdout.write(formatRunSummary(merged, path, { style: styleFor(ctx.stdout, ctx.env) }));
  ctx.exitCode = exitCodeOfResult(merged);
}
