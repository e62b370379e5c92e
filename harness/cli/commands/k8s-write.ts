import { resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CommandContext } from '../command-context.js';

/**
 * Writes generated YAML to `out` (atomically, saying where on stderr) or, without it, to stdout.
 *
 * @example
 * await writeManifests(yaml, argv.out, ctx, 'the TestRun of steady');
 */
export async function writeManifests(
  yaml: string,
  out: string | undefined,
  ctx: CommandContext,
  what: string,
): Promise<void> {
  if (out === undefined) {
    ctx.stdout.write(yaml);
    return;
  }
  const path = resolve(out);
  await writeFileAtomic(path, yaml);
  ctx.stderr.write(`Wrote ${what} to ${path}\n`);
}
