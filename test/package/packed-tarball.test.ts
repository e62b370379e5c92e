/**
 * The package as users get it: builds, packs the tarball (`npm pack`), installs it into an
 * empty temporary project, and there imports every entry point, type-checks a file using them
 * all, runs a TypeScript scenario through the public API and through the installed CLI, and
 * checks that `nexus-harness list` loads neither ioredis, Pact nor MSW (a module-load trace)
 * and stays under 70 MiB of RSS.
 *
 * It builds what it packs (`npm run build`, into this repo's dist/), so it needs no prior
 * build. The install is `npm install --offline` from the npm cache that `npm ci` filled, and
 * falls back to `--prefer-offline` (metadata from the registry) when the cache lacks the
 * packages' metadata, as it does after a bare `npm ci`. About 60 s, most of it tsc and npm.
 */
import { type ExecFileOptions, execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_RUN_TS,
  CHECK_TS,
  ENTRY_EXPORTS,
  IMPORT_LIGHT_MJS,
  IMPORTS_MJS,
  PACKAGE_JSON,
  RSS_MJS,
  SCENARIO_TS,
  TRACE_HOOKS_MJS,
  TRACE_MJS,
  tsconfigJson,
  VERIFY_MJS,
} from './consumer-files.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The heavy dependencies a command that does not need them must not load. */
const HEAVY = /\/node_modules\/(ioredis|@pact-foundation\/[^/]+|msw)\//;
const RSS_LIMIT_BYTES = 70 * 1024 * 1024;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of every child: this one's, without what `npm test` adds for its own
 * package (npm would take the repo for the prefix) and without a NODE_OPTIONS of the runner.
 */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(npm_package_|npm_lifecycle_|npm_command$|npm_config_local_prefix$|INIT_CWD$|NODE_OPTIONS$|VITEST)/.test(
        name,
      )
    )
      continue;
    env[name] = value;
  }
  return { ...env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1', ...extra };
}

function run(
  file: string,
  args: readonly string[],
  options: ExecFileOptions & { cwd: string },
): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options, env: childEnv(options.env) },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Fails with the command's output when it did not exit 0. */
function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) {
    throw new Error(
      `${what} exited ${ran.code}.\n--- stdout ---\n${ran.stdout}\n--- stderr ---\n${ran.stderr}`,
    );
  }
  return ran;
}

/** npm must run for anything here to be possible; say why not otherwise. */
function npmProblem(): string | null {
  const probe = spawnSync(NPM, ['--version'], { encoding: 'utf8', env: childEnv() });
  if (probe.error) return `npm cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `npm --version exited ${probe.status}: ${probe.stderr.trim()}`;
  return null;
}

/** The node_modules packages named in a module trace, with how many of their modules loaded. */
function packagesIn(trace: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of trace.split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (match) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  }
  return counts;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

const problem = npmProblem();
if (problem !== null) console.warn(`packed-tarball.test.ts skipped: ${problem}`);

describe.skipIf(problem !== null)(
  problem === null ? 'the packed tarball' : `the packed tarball (skipped: ${problem})`,
  { timeout: 90_000 },
  () => {
    let work = '';
    let project = '';
    let installed = '';
    let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'nexus-harness-pack-'));
      project = join(work, 'consumer');
      await mkdir(project);

      ok(await run(NPM, ['run', 'build'], { cwd: ROOT }), 'npm run build');
      const pack = ok(
        await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: ROOT }),
        'npm pack',
      );
      // npm may print notices before the JSON.
      packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];

      const files: Record<string, string> = {
        'package.json': PACKAGE_JSON,
        'imports.mjs': IMPORTS_MJS,
        'import-light.mjs': IMPORT_LIGHT_MJS,
        'scenario.ts': SCENARIO_TS,
        'api-run.ts': API_RUN_TS,
        'check.ts': CHECK_TS,
        'tsconfig.json': tsconfigJson(join(ROOT, 'node_modules/@types')),
        'trace.mjs': TRACE_MJS,
        'trace-hooks.mjs': TRACE_HOOKS_MJS,
        'rss.mjs': RSS_MJS,
        'verify.mjs': VERIFY_MJS,
      };
      for (const [name, text] of Object.entries(files)) await writeFile(join(project, name), text);

      const tgz = join(work, packed.filename);
      const flags = ['--no-audit', '--no-fund', '--no-package-lock'];
      let install = await run(NPM, ['install', '--offline', ...flags, tgz], { cwd: project });
      if (install.code !== 0) {
        console.warn(
          'npm install --offline could not resolve from the cache; retrying with --prefer-offline',
        );
        install = await run(NPM, ['install', '--prefer-offline', ...flags, tgz], { cwd: project });
      }
      ok(install, 'npm install <tarball>');
      installed = join(project, 'node_modules/nexus-harness');
    }, 300_000);

    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    it('ships the build, the scenario schema and the pact, and no tests or test helpers', () => {
      const paths = packed.files.map((f) => f.path).sort();
      console.log(
        `tarball ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB packed, ` +
          `${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${paths.length} files`,
      );
      for (const entry of ['index', 'engine', 'mock', 'msw', 'contracts']) {
        expect(paths).toContain(`dist/harness/entry/${entry}.js`);
        expect(paths).toContain(`dist/harness/entry/${entry}.d.ts`);
      }
      expect(paths).toContain('dist/harness/cli/main.js');
      expect(paths).toContain('dist/scenarios/model/scenario.schema.json');
      expect(paths).toContain('contracts/pacts/nexus-harness-client-nexus-api.json');
      expect(paths.filter((p) => /\.test\.|(^|\/)test-[^/]*$|^test\//.test(p))).toEqual([]);
      // Only the build, the pact, package.json and the README: no TypeScript sources.
      expect(
        paths.filter((p) => !/^(dist\/|contracts\/pacts\/[^/]+\.json$|package\.json$|README\.md$)/.test(p)),
      ).toEqual([]);
      expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    });

    it('has declarations whose relative imports all resolve inside the package', () => {
      const dist = join(installed, 'dist');
      const missing: string[] = [];
      for (const file of filesUnder(dist).filter((f) => f.endsWith('.d.ts'))) {
        // Comments aside: their @example imports are not the file's.
        const text = readFileSync(join(dist, file), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '');
        for (const match of text.matchAll(/(?:from\s+|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          const target = resolve(dirname(join(dist, file)), match[1]!);
          const declaration = target.replace(/\.js$/, '.d.ts');
          if (!existsSync(declaration) && !existsSync(target)) missing.push(`${file} → ${match[1]}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('imports every entry point, with its named exports, and finds its assets from the package', async () => {
      // From another working directory: assets come from the package, not from process.cwd().
      const ran = ok(
        await run(process.execPath, [join(project, 'imports.mjs')], { cwd: work }),
        'imports.mjs',
      );
      const out = JSON.parse(ran.stdout) as {
        exports: Record<string, string[]>;
        schema: { path: string; exists: boolean };
        pact: { path: string; exists: boolean };
      };
      for (const [entry, names] of Object.entries(ENTRY_EXPORTS)) {
        expect(out.exports[entry], entry).toEqual(expect.arrayContaining([...names]));
      }
      expect(out.schema.exists, out.schema.path).toBe(true);
      expect(relative(installed, out.schema.path)).toBe(
        join('dist', 'scenarios', 'model', 'scenario.schema.json'),
      );
      expect(out.pact.exists, out.pact.path).toBe(true);
      expect(relative(installed, out.pact.path)).toBe(
        join('contracts', 'pacts', 'nexus-harness-client-nexus-api.json'),
      );
    });

    it('type-checks a file that uses every entry point (NodeNext resolution)', async () => {
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      ok(await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }), 'tsc --noEmit');
    });

    it('loads no MSW, Pact or ioredis when the client, engine and mock entry points are imported', async () => {
      const traceFile = join(work, 'import-light.trace');
      ok(
        await run(process.execPath, ['--import', './trace.mjs', 'import-light.mjs'], {
          cwd: project,
          env: { NH_TRACE_FILE: traceFile },
        }),
        'import-light.mjs',
      );
      const trace = await readFile(traceFile, 'utf8');
      expect(trace).toContain('/node_modules/nexus-harness/dist/harness/entry/engine.js');
      expect(trace.split('\n').filter((url) => HEAVY.test(url))).toEqual([]);
    });

    it('verifies the mock against the pact the package ships (the contracts entry, from another directory)', async () => {
      const ran = ok(await run(process.execPath, [join(project, 'verify.mjs')], { cwd: work }), 'verify.mjs');
      const out = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as {
        passed: boolean;
        interactions: number;
      };
      expect(out.passed).toBe(true);
      expect(out.interactions).toBeGreaterThan(0);
    });

    it('runs a TypeScript scenario through the public API (runScenario + mockTarget, under the installed tsx)', async () => {
      const tsx = join(project, 'node_modules/.bin/tsx');
      const ran = ok(await run(tsx, ['api-run.ts'], { cwd: project }), 'tsx api-run.ts');
      const out = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as {
        verdict: string;
        judged: string;
        ops: number;
      };
      expect(out).toMatchObject({ verdict: 'passed', judged: 'passed' });
      expect(out.ops).toBeGreaterThan(0);
    });

    // Depends on the CLI loading `.ts` scenarios through tsx on demand (scenarios/model/load.ts,
    // being done alongside this test): until that is in, this fails with "Unknown file extension".
    // Keep the assertion: it is the acceptance criterion.
    it('runs a .ts scenario with the installed CLI', async () => {
      const cli = join(project, 'node_modules/.bin/nexus-harness');
      const ran = await run(cli, ['run', './scenario.ts', '--duration', '1s', '--no-out'], { cwd: project });
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    });

    // Depends on the CLI loading each command's module only when that command runs (harness/cli,
    // being done alongside this test): until that is in, `list` loads Pact through the contracts
    // and run commands, and its RSS is about 115 MiB. Keep the assertion: it is the acceptance
    // criterion.
    it('`nexus-harness list` loads no ioredis, Pact or MSW and stays under 70 MiB of RSS', async () => {
      const cli = join(installed, 'dist/harness/cli/main.js');
      const traceFile = join(work, 'list.trace');
      const traced = ok(
        await run(process.execPath, ['--import', './trace.mjs', cli, 'list'], {
          cwd: project,
          env: { NH_TRACE_FILE: traceFile },
        }),
        'nexus-harness list (traced)',
      );
      expect(traced.stdout).toMatch(/^smoke\s/m);
      const trace = await readFile(traceFile, 'utf8');
      const packages = packagesIn(trace);
      const ours = trace.split('\n').filter((url) => url.includes('/node_modules/nexus-harness/')).length;
      console.log(
        `nexus-harness list loaded ${ours} module(s) of the package and ${[...packages.values()].reduce((a, b) => a + b, 0)} ` +
          `of ${packages.size} dependencies: ${[...packages].map(([name, n]) => `${name} (${n})`).join(', ')}`,
      );

      // Measured without the trace (its loader thread would count).
      const measured = ok(
        await run(process.execPath, ['--import', './rss.mjs', cli, 'list'], { cwd: project }),
        'nexus-harness list (measured)',
      );
      const rss = Number(/NH_RSS_BYTES=(\d+)/.exec(measured.stderr)?.[1]);
      console.log(
        `nexus-harness list: RSS ${(rss / 1024 / 1024).toFixed(1)} MiB (limit ${RSS_LIMIT_BYTES / 1024 / 1024} MiB)`,
      );

      const heavy = new Set(trace.split('\n').flatMap((url) => HEAVY.exec(url)?.[1] ?? []));
      expect([...heavy]).toEqual([]);
      expect(rss).toBeGreaterThan(0);
      expect(rss).toBeLessThan(RSS_LIMIT_BYTES);
    });
  },
);
