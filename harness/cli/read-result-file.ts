import { readFile } from 'node:fs/promises';
import { parseResult } from '../engine/result/parse-result.js';
import { RESULT_SCHEMA, type RunResult } from '../engine/result/types.js';
import { UsageError } from '../util/errors.js';

/**
 * Reads a saved result document (`report`, `compare`): the parsed result, and the file as read
 * (`raw`, which keeps fields the parser does not know). Every way the file is not one is a
 * `UsageError` (exit 2) naming it as `role`; k6 output given by mistake says how to import it.
 *
 * @example
 * const { result } = await readResultFile('reports/out/…/result.json', 'baseline');
 */
export async function readResultFile(
  path: string,
  role = 'result',
): Promise<{ result: RunResult; raw: unknown }> {
  const fail = (why: string, cause?: unknown) =>
    new UsageError(`Failed to read the ${role} ${path}: ${why}`, cause === undefined ? undefined : { cause });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const why =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw fail(`${why}. Pass the result.json a run wrote.`, cause);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw fail(`not JSON (${(cause as Error).message}). Pass the result.json a run wrote.`, cause);
  }
  const schema = (raw as { schema?: unknown } | null)?.schema;
  if (typeof raw !== 'object' || raw === null || schema !== RESULT_SCHEMA) {
    const k6 = typeof raw === 'object' && raw !== null && ('metrics' in raw || 'root_group' in raw);
    throw fail(
      `not a nexus-harness result (its "schema" is ${JSON.stringify(schema ?? null)}, expected "${RESULT_SCHEMA}"). ` +
        (k6
          ? 'It looks like k6 output: nexus-harness import k6 FILE -o result.json first.'
          : 'Pass the result.json a run wrote.'),
    );
  }
  return { result: parseResult(raw, path), raw };
}
