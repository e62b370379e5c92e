import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of nexus-harness's own `package.json`, found from this file's location: the same
 * from the sources (`harness/util/`) and from the build (`dist/harness/util/`), and the same
 * whatever the working directory is. Assets the package ships (the committed pact, the
 * scenario JSON schema) are resolved from here, never from `process.cwd()`.
 *
 * @example
 * const pact = join(packageRoot(), 'contracts/pacts/nexus-harness-client-nexus-api.json');
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'nexus-harness') {
        cached = dir;
        return dir;
      }
    } catch {
      // no package.json here: keep climbing
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error(
        `nexus-harness: no package.json of nexus-harness above ${fileURLToPath(import.meta.url)}`,
      );
    dir = up;
  }
}
