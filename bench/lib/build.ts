import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The compiled CLI the cold benches start, relative to the repo root. */
export const CLI_ENTRY = 'dist/cli/main.js';

/** What tsconfig.build.json compiles (reports/ holds only run output today, so it is left out). */
const SOURCE_DIRS = ['harness', 'mock-server', 'scenarios', 'contracts'];
/** Files beside the sources that change what the build writes. */
const SOURCE_FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/copy-assets.mjs',
  'scripts/bundle-cli.mjs',
  'scripts/cli-loader.mjs',
];
/** Skipped: not compiled (tests, fixtures written by tests) or not source. */
const SKIP_DIRS = new Set(['node_modules', 'pacts', 'out']);
const isBuildInput = (name: string) =>
  /\.(m?ts|json)$/.test(name) && !/\.test\.ts$/.test(name) && !/^test-/.test(name) && !name.endsWith('.d.ts');

/** The newest build input and its modification time (ms since the epoch). */
function newestSource(): { path: string; mtimeMs: number } {
  let newest = { path: '', mtimeMs: 0 };
  const consider = (path: string) => {
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  };
  const walk = (dir: string, depth: number) => {
    // Bounded: the source tree is a few levels deep; a symlink loop must not hang the bench.
    if (depth > 12) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path, depth + 1);
      } else if (entry.isFile() && isBuildInput(entry.name)) {
        consider(path);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(repoRoot, dir), 0);
  for (const file of SOURCE_FILES) consider(join(repoRoot, file));
  return newest;
}

function builtAtMs(): number | null {
  try {
    return statSync(join(repoRoot, CLI_ENTRY)).mtimeMs;
  } catch {
    return null;
  }
}

let checked: Promise<string> | null = null;

/**
 * Makes sure `dist/` is the build of the current sources: runs `npm run build` when
 * `dist/cli/main.js` (the bundled bin) is missing or older than the newest build input (a `.ts` or
 * `.json` under harness/, mock-server/, scenarios/, contracts/, tests excluded, or a
 * tsconfig), and not otherwise. Checked once per bench process; resolves with a line saying
 * what was done, for the bench's log. Rejects if the build fails: a cold bench of a stale or
 * half-written `dist/` would measure the wrong code.
 *
 * @example
 * process.stderr.write(`  ${await ensureBuilt()}\n`);
 */
export function ensureBuilt(): Promise<string> {
  // One check per bench process, so every bench of one `npm run bench` measures the same build.
  if (checked !== null) return checked.then((what) => `build checked earlier in this run: ${what}`);
  checked = Promise.resolve().then(() => {
    const builtAt = builtAtMs();
    const source = newestSource();
    if (builtAt !== null && builtAt >= source.mtimeMs) {
      return `dist/ is up to date (built ${new Date(builtAt).toISOString()}, newest source ${relative(repoRoot, source.path)})`;
    }
    const why =
      builtAt === null
        ? `${CLI_ENTRY} is missing`
        : `${relative(repoRoot, source.path)} is newer than ${CLI_ENTRY}`;
    process.stderr.write(`  building: ${why}; npm run build …\n`);
    const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
    if (build.status !== 0 || builtAtMs() === null) {
      const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
      throw new Error(
        `Failed to build the repo for a cold bench: npm run build exited ${build.status ?? build.signal}. ` +
          `Fix the build (its last lines follow) and run the bench again.\n${output}`,
      );
    }
    return `built dist/ (${why})`;
  });
  return checked;
}
