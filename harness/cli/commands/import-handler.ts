import { resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { createRedactor, secretsFromEnv } from '../../util/redact.js';
import type { CommandContext } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { formatRunSummary } from '../run-summary.js';
import type { ImportArgs } from './import-args.js';

/**
 * Runs `nexus-harness import k6 FILE`: imports, writes `--out` when given (atomically, secrets
 * redacted as `run` does), prints the summary and leaves 0 or 99 in `ctx.exitCode`.
 *
 * @example
 * await importHandler({ tool: 'k6', file: 'points.ndjson' }, ctx); // ctx.exitCode: 0 or 99
 */
export async function importHandler(argv: ImportArgs, ctx: CommandContext): Promise<void> {
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
  ctx.stdout.write(formatRunSummary(result, path));
  ctx.exitCode = exitCodeOfResult(result);
}
