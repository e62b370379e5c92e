import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { UsageError } from '../../util/errors.js';
import { createRedactor, secretsFromEnv } from '../../util/redact.js';
import type { CommandContext } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { formatRunSummary } from '../run-summary.js';
import { styleFor } from '../terminal-style.js';
import type { ImportArgs } from './import-args.js';

/**
 * Runs `nexus-harness import k6 FILE`: imports, writes `--out` when given (atomically, secrets
 * redacted as `run` does), prints the summary and leaves 0 or 99 in `ctx.exitCode`.
 *
 * @example
 * await importHandler({ tool: 'k6', file: 'points.ndjson' }, ctx); // ctx.exitCode: 0 or 99
 */
export async function importHandler(argv: ImportArgs, ctx: CommandContext): Promise<void> {
  // A mistyped path is the user's to fix (exit 2), not an unexpected error with a stack.
  await access(argv.file, constants.R_OK).catch((cause: NodeJS.ErrnoException) => {
    const why = cause.code === 'ENOENT' ? 'no such file' : cause.message;
    throw new UsageError(
      `Failed to read the k6 output ${argv.file}: ${why}. Pass the file k6 wrote (--out json=FILE, --summary-export=FILE, or handleSummary's JSON).`,
      { cause },
    );
  });
  const { importK6File } = await import('../../runners/k6/index.js');
  const { parseThresholdFlags } = await import('./run-checks.js');
  const thresholds = parseThresholdFlags(argv.threshold);
  const scenario =
    argv.scenario === undefined
      ? undefined
      : await (await import('../scenario-ref.js')).resolveScenario(argv.scenario);
  const { result } = await importK6File(argv.file, { thresholds, scenario });
  let path: string | null = null;
  if (argv.out !== undefined) {
    path = resolve(argv.out);
    const text = createRedactor(secretsFromEnv(ctx.env)).redact(`${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(path, text);
  }
  ctx.stdout.write(formatRunSummary(result, path, { style: styleFor(ctx.stdout, ctx.env) }));
  ctx.exitCode = exitCodeOfResult(result);
}
