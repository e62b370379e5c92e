import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 10, item 4: `nexus-harness list` (and `--help`) load no command's heavy modules
 * (ioredis, Pact, MSW, express, axios, undici; the engine, the targets, the mock's server,
 * the contracts) and stay under 70 MB of RSS.
 *
 * Measured on the compiled CLI, as users run it: under tsx a bare `node --import tsx -e ''`
 * alone holds ~75 MB (esbuild and its transforms), so an RSS budget there says nothing about
 * the bin. `npm test` has no build step, so this file compiles the shipped code itself
 * (tsconfig.build.json, without type checking: tsc's job elsewhere) into a temporary folder
 * whose node_modules is the repository's.
 */

const execFileP = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('../support/load-probe.mjs', import.meta.url));
const RSS_BUDGET_BYTES = 70 * 1024 * 1024;
const build = mkdtempSync(join(tmpdir(), 'nexus-harness-lazy-load-'));
afterAll(() => rmSync(build, { recursive: true, force: true }));

/** Packages that `list` and `--help` must not load. */
const HEAVY_PACKAGES = [
  'ioredis',
  '@pact-foundation/pact',
  '@pact-foundation/pact-core',
  'msw',
  'express',
  'axios',
  'undici',
];
/** Our own layers that only `run`, `mock` and `contracts` need. */
const HEAVY_OURS = ['harness/engine/', 'harness/targets/', 'harness/client/', 'mock-server/', 'contracts/'];

interface Probe {
  /** Resolved ES module URLs and CommonJS paths. */
  modules: string[];
  rssBytes: number;
}

/** Runs the compiled CLI with `args` under the load probe; `trace` records modules (and costs memory). */
async function probe(args: string[], trace: boolean): Promise<Probe> {
  const out = join(build, `probe-${args.join('_')}-${trace ? 'trace' : 'rss'}.txt`);
  await execFileP(process.execPath, ['--import', PROBE, join(build, 'harness/cli/main.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXUS_PROBE_OUT: out, NEXUS_PROBE_TRACE: trace ? '1' : '0' },
  });
  const lines = readFileSync(out, 'utf8').split('\n');
  const rss = lines.find((l) => l.startsWith('rss '));
  return {
    modules: lines.filter((l) => l.startsWith('esm ') || l.startsWith('cjs ')).map((l) => l.slice(4)),
    rssBytes: Number(rss?.slice(4)),
  };
}

/** The package a module path belongs to (`@scope/name` or `name`), if it is under node_modules. */
function packageOf(module: string): string | undefined {
  const path = module.replace(/^file:\/\//, '');
  const at = path.lastIndexOf(`node_modules${sep}`);
  if (at < 0) return undefined;
  const [first, second] = path.slice(at + `node_modules${sep}`.length).split(sep);
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

beforeAll(async () => {
  await execFileP(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
      ...['-p', 'tsconfig.build.json', '--outDir', build, '--noCheck', '--declaration', 'false'],
      ...['--sourceMap', 'false'],
    ],
    { cwd: REPO_ROOT },
  );
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(build, 'node_modules'), 'dir');
}, 120_000);

describe.each([['list'], ['--help']])('nexus-harness %s, compiled', (command) => {
  it('loads none of the heavy packages or layers', async () => {
    const { modules } = await probe([command], true);
    const packages = new Set(modules.map(packageOf).filter((p) => p !== undefined));
    // The probe sees packages at all: yargs is always loaded.
    expect(packages).toContain('yargs');
    expect(HEAVY_PACKAGES.filter((p) => packages.has(p))).toEqual([]);
    const ours = modules
      .filter((m) => m.includes(build))
      .map((m) => m.slice(m.indexOf(build) + build.length + 1));
    expect(ours).toContain('harness/cli/run-cli.js');
    expect(ours.filter((m) => HEAVY_OURS.some((layer) => m.startsWith(layer)))).toEqual([]);
    console.log(`${command}: ${new Set(modules).size} modules, packages ${[...packages].sort().join(', ')}`);
  });

  it('ends with an RSS under 70 MB', async () => {
    const { rssBytes } = await probe([command], false);
    console.log(`${command}: RSS ${(rssBytes / 2 ** 20).toFixed(1)} MB`);
    expect(rssBytes).toBeGreaterThan(0);
    expect(rssBytes).toBeLessThan(RSS_BUDGET_BYTES);
  });
});
