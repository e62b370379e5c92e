import { resolve } from 'node:path';
import type { RunResult } from '../engine/result/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { RESULT_FILE } from '../util/out-dir.js';
import { createRedactor } from '../util/redact.js';

/**
 * Writes `result.json` atomically into `dir` (made and locked by `lockOutDir`): never a
 * half-written file. Returns its path.
 *
 * @example
 * const path = await writeResultFile(result, out.dir, secretsFromEnv(process.env));
 */
export async function writeResultFile(
  result: RunResult,
  dir: string,
  secrets: readonly string[],
): Promise<string> {
  const path = resolve(dir, RESULT_FILE);
  // The last line of defence, as for the CLI's output: a secret that reached the document by
  // any path (a threshold key, a URL's query) is stored as [redacted]; JSON stays valid.
  const text = createRedactor(secrets).redact(`${JSON.stringify(result, null, 2)}\n`);
  await writeFileAtomic(path, text);
  return path;
}
