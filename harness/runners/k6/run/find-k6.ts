/**
 * Finding the k6 binary: `K6_BIN` when set (it must be an executable file), else the first
 * executable `k6` on `PATH`. k6 is not on npm or Debian, so none may be found: the caller
 * says how to get one.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { UsageError } from '../../../util/errors.js';

/**
 * Where to get k6 (grafana.com's install page), for messages.
 *
 * @example
 * console.error(`No k6: install it (${K6_INSTALL_URL})`);
 */
export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The k6 binary's path, or null when there is none (`K6_BIN` unset and no `k6` on `PATH`).
 * Throws a `UsageError` when `K6_BIN` is set but is not an executable file: a typo there must
 * not fall back to some other k6.
 *
 * @example
 * const k6 = await findK6(process.env); // '/usr/local/bin/k6' or null
 */
export async function findK6(env: NodeJS.ProcessEnv): Promise<string | null> {
  const bin = env.K6_BIN;
  if (bin !== undefined && bin !== '') {
    if (await isExecutableFile(bin)) return bin;
    throw new UsageError(
      `K6_BIN=${bin} is not an executable file: point it at the k6 binary, or unset it to use k6 from PATH.`,
    );
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'k6');
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * The error for "no k6 here": what is missing and how to get it (exit 2).
 *
 * @example
 * const k6 = (await findK6(env)) ?? throwNoK6();
 */
export function noK6Error(): UsageError {
  return new UsageError(
    `Failed to run k6: no k6 binary (K6_BIN is not set and there is no k6 on PATH). Install k6 (${K6_INSTALL_URL}) and put it on PATH, or set K6_BIN to its path. To run the scenario without k6: nexus-harness run; to get its k6 script: nexus-harness k6 export.`,
  );
}
