/**
 * The package as users get it: builds, packs the tarball (`npm pack`), installs it into an
 * empty temporary project, and there imports every entry point, type-checks a file using them
 * all, runs a TypeScript scenario through the public API and through the installed CLI, and
 * checks (a module-load trace, test/support/load-probe.mjs) that `nexus-harness list` and
 * `nexus-harness --help` load none of the heavy packages (ioredis, Pact, MSW, express, axios,
 * undici) nor the package's own layers that only `run`, `mock` and `contracts` need, and stay
 * under 70 MiB of RSS: the installed, compiled bin, as users run it (under tsx a bare
 * `node --import tsx -e ''` alone holds ~75 MB, so an RSS budget there says nothing).
 *
 * It builds what it packs (into this repo's dist/), so it needs no prior build: the steps of
 * `npm run build` with `tsc --noCheck` (type-checking is `npm run typecheck`'s job, and CI's;
 * the JavaScript is the same, the declarations too but for the order of union members). The install is `npm install
 * --offline` from the npm cache that `npm ci` filled, and falls back to `--prefer-offline`
 * (metadata from the registry) when the cache lacks the packages' metadata, as it does after
 * a bare `npm ci`.
 */
import { type ExecFileOptions, execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_RUN_TS,
  CHECK_TS,
  ENTRY_EXPORTS,
  IMPORT_LIGHT_MJS,
  IMPORTS_MJS,
  NOCK_MISSING_MJS,
  PACKAGE_JSON,
  SCENARIO_TS,
  tsconfigJson,
  VERIFY_MJS,
} from './consumer-files.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The heavy dependencies a command that does not need them must not load. */
const HEAVY = /\/node_modules\/(ioredis|@pact-foundation\/[^/]+|msw)\//;
/** Packages that `list` and `--help` must not load. */
const HEAVY_PACKAGES = [
  'ioredis',
  '@pact-foundation/pact',
  '@pact-foundation/pact-core',
  'msw',
  'express',
  'axios',
  'undici',
  'autocannon',
];
/** The package's own layers (under its dist/) that only `run`, `mock` and `contracts` need. */
const HEAVY_OURS = [
  'harness/engine/',
  'harness/targets/',
  'harness/client/',
  'harness/service/',
  'harness/app/',
  'harness/runners/',
  'reports/',
  'mock-server/',
  'contracts/',
];
const RSS_LIMIT_BYTES = 70 * 1024 * 1024;
/** Reports, at exit, the modules a process loaded and its RSS (plain JavaScript, node: builtins only). */
const PROBE = join(ROOT, 'test/support/load-probe.mjs');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

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

/**
 * Where the consumer project goes: /dev/shm when it is a tmpfs that allows executables (npm
 * writes ~9 000 files there; on this machine's disk that alone costs ~6 s of system CPU), else
 * the system's temporary folder.
 */
function scratchRoot(): string {
  try {
    const shm = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find(([, mountPoint, type]) => mountPoint === '/dev/shm' && type === 'tmpfs');
    if (shm && !shm[3]!.split(',').includes('noexec')) return '/dev/shm';
  } catch {
    // not Linux: no /proc/mounts
  }
  return tmpdir();
}

/** npm must run for anything here to be possible; say why not otherwise. */
function npmProblem(): string | null {
  const probe = spawnSync(NPM, ['--version'], { encoding: 'utf8', env: childEnv() });
  if (probe.error) return `npm cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `npm --version exited ${probe.status}: ${probe.stderr.trim()}`;
  return null;
}

/** What a process run under {@link PROBE} loaded, and the RSS it ended with. */
interface Probed extends Ran {
  /** File paths of the modules loaded (ES modules resolved, CommonJS in require.cache); node: builtins left out. */
  modules: string[];
  rssBytes: number;
}

/**
 * Runs `node --import <probe> ...args` in `cwd`; with `trace`, records every module loaded
 * (the hooks run on a thread of their own, which costs memory: take the RSS without them).
 */
async function probed(args: readonly string[], cwd: string, out: string, trace: boolean): Promise<Probed> {
  const ran = ok(
    await run(process.execPath, ['--import', PROBE, ...args], {
      cwd,
      env: { NEXUS_PROBE_OUT: out, NEXUS_PROBE_TRACE: trace ? '1' : '0' },
    }),
    `${args.join(' ')} (probed)`,
  );
  const lines = (await readFile(out, 'utf8')).split('\n');
  const modules = lines.flatMap((line) => {
    if (line.startsWith('cjs ')) return [line.slice(4)];
    if (line.startsWith('esm file:')) return [fileURLToPath(line.slice(4))];
    return [];
  });
  const rss = lines.find((l) => l.startsWith('rss '));
  return { ...ran, modules, rssBytes: Number(rss?.slice(4)) };
}

/** The package a module path belongs to (`@scope/name` or `name`), if it is under node_modules. */
function packageOf(module: string): string | undefined {
  const at = module.lastIndexOf(`node_modules${sep}`);
  if (at < 0) return undefined;
  const [first, second] = module.slice(at + `node_modules${sep}`.length).split(sep);
  return first?.startsWith('@') ? `${first}/${second}` : first;
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
      work = await mkdtemp(join(scratchRoot(), 'nexus-harness-pack-'));
      project = join(work, 'consumer');
      await mkdir(project);

      // `npm run build`, but for the type-check (npm run typecheck's job, and CI's).
      ok(await run(process.execPath, ['scripts/clean-dist.mjs'], { cwd: ROOT }), 'clean-dist');
      ok(
        await run(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT }),
        'tsc -p tsconfig.build.json --noCheck',
      );
      ok(await run(process.execPath, ['scripts/copy-assets.mjs'], { cwd: ROOT }), 'copy-assets');
      ok(await run(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: ROOT }), 'bundle-cli');
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
        'nock-missing.mjs': NOCK_MISSING_MJS,
        'scenario.ts': SCENARIO_TS,
        'api-run.ts': API_RUN_TS,
        'check.ts': CHECK_TS,
        'tsconfig.json': tsconfigJson(join(ROOT, 'node_modules/@types')),
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
      installed = realpathSync(join(project, 'node_modules/nexus-harness'));
    }, 300_000);

    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    it('ships the build, the scenario schema, the pact and the licence, and no tests or test helpers', () => {
      const paths = packed.files.map((f) => f.path).sort();
      console.log(
        `tarball ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB packed, ` +
          `${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${paths.length} files`,
      );
      for (const entry of ['index', 'engine', 'mock', 'msw', 'nock', 'contracts', 'service', 'app']) {
        expect(paths).toContain(`dist/harness/entry/${entry}.js`);
        expect(paths).toContain(`dist/harness/entry/${entry}.d.ts`);
      }
      expect(paths).toContain('dist/harness/cli/main.js');
      // The bin: the CLI bundled by scripts/bundle-cli.mjs.
      expect(paths).toContain('dist/cli/main.js');
      expect(paths).toContain('dist/scenarios/model/scenario.schema.json');
      expect(paths).toContain('contracts/pacts/nexus-harness-client-nexus-api.json');
      expect(paths).toContain('LICENSE');
      expect(paths.filter((p) => /\.test\.|(^|\/)test-[^/]*$|^test\//.test(p))).toEqual([]);
      // Only the build, the pact, package.json, the README and the licence: no TypeScript sources.
      expect(
        paths.filter(
          (p) => !/^(dist\/|contracts\/pacts\/[^/]+\.json$|package\.json$|README\.md$|LICENSE$)/.test(p),
        ),
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
      ok(await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }), 'tsc --noEmit');
    });

    it('loads no MSW, Pact or ioredis when the client, engine, mock and service entry points are imported', async () => {
      const { modules } = await probed(['import-light.mjs'], project, join(work, 'import-light.probe'), true);
      expect(modules).toContain(join(installed, 'dist/harness/entry/engine.js'));
      expect(modules).toContain(join(installed, 'dist/harness/entry/service.js'));
      expect(modules.filter((path) => HEAVY.test(path))).toEqual([]);
    });

    it('imports nexus-harness/nock without nock installed (an optional peer), and creating a mock says how to install it', async () => {
      expect(existsSync(join(project, 'node_modules', 'nock'))).toBe(false);
      const ran = ok(
        await run(process.execPath, [join(project, 'nock-missing.mjs')], { cwd: project }),
        'nock-missing.mjs',
      );
      const out = JSON.parse(ran.stdout.trim()) as { created: boolean; usage?: boolean; message?: string };
      expect(out).toMatchObject({ created: false, usage: true });
      expect(out.message).toMatch(/'nock' is not installed.*npm install --save-dev nock@\^14/);
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

    it('runs a .ts scenario with the installed CLI', async () => {
      const cli = join(project, 'node_modules/.bin/nexus-harness');
      const ran = await run(cli, ['run', './scenario.ts', '--duration', '1s', '--no-out'], { cwd: project });
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    });

    // `npm init -y` writes "type": "commonjs": tsx would compile the scenario to CommonJS there,
    // and a require() of the package's import-only exports fails; scenarios/model/load.ts loads
    // a .ts scenario as an ES module whatever the project's type.
    it('runs a .ts scenario in a CommonJS project ("type": "commonjs") with the installed CLI', async () => {
      const cjs = join(project, 'cjs');
      await mkdir(cjs, { recursive: true });
      await writeFile(
        join(cjs, 'package.json'),
        `${JSON.stringify({ name: 'cjs-consumer', type: 'commonjs' })}\n`,
      );
      await writeFile(join(cjs, 'scenario.ts'), SCENARIO_TS);
      const cli = join(project, 'node_modules/.bin/nexus-harness');
      const ran = await run(cli, ['run', './scenario.ts', '--duration', '1s', '--no-out'], { cwd: cjs });
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
      expect(ran.stderr).not.toMatch(/not defined by "exports"|No "exports" main/);
    });

    // Issue 10, item 4: the CLI loads each command's modules only when that command runs.
    it.each([
      ['list', /^smoke\s/m],
      ['--help', /^Commands:/m],
    ])(
      '`nexus-harness %s` loads none of the heavy packages or layers and stays under 70 MiB of RSS',
      async (command, shows) => {
        const cli = join(installed, 'dist/harness/cli/main.js');
        const name = command.replace(/^-+/, '');
        const traced = await probed([cli, command], project, join(work, `${name}.trace`), true);
        expect(traced.stdout).toMatch(shows);
        const packages = new Set(traced.modules.map(packageOf).filter((p) => p !== undefined));
        // The trace sees packages at all: yargs is always loaded.
        expect(packages).toContain('yargs');
        expect(HEAVY_PACKAGES.filter((p) => packages.has(p))).toEqual([]);
        const dist = join(installed, 'dist') + sep;
        const ours = [...new Set(traced.modules.filter((m) => m.startsWith(dist)))].map((m) =>
          m.slice(dist.length).split(sep).join('/'),
        );
        expect(ours).toContain('harness/cli/run-cli.js');
        expect(ours.filter((m) => HEAVY_OURS.some((layer) => m.startsWith(layer)))).toEqual([]);
        console.log(
          `nexus-harness ${command} loaded ${ours.length} module(s) of the package; packages: ` +
            [...packages].sort().join(', '),
        );

        // The bin as npm installed it (the bundle, dist/cli/main.js): the same laziness, measured
        // without the trace (its hooks thread would count).
        const bin = join(project, 'node_modules/.bin/nexus-harness');
        expect(realpathSync(bin)).toBe(join(installed, 'dist/cli/main.js'));
        const binTraced = await probed(
          [realpathSync(bin), command],
          project,
          join(work, `${name}.bin.trace`),
          true,
        );
        expect(binTraced.stdout).toMatch(shows);
        const binPackages = new Set(binTraced.modules.map(packageOf).filter((p) => p !== undefined));
        expect(HEAVY_PACKAGES.filter((p) => binPackages.has(p))).toEqual([]);
        const measured = await probed(
          [realpathSync(bin), command],
          project,
          join(work, `${name}.rss`),
          false,
        );
        console.log(
          `nexus-harness ${command}: RSS ${(measured.rssBytes / 1024 / 1024).toFixed(1)} MiB (limit ${RSS_LIMIT_BYTES / 1024 / 1024} MiB)`,
        );
        expect(measured.rssBytes).toBeGreaterThan(0);
        expect(measured.rssBytes).toBeLessThan(RSS_LIMIT_BYTES);
      },
    );

    // Issue 11, item 5: the bin compiles its bundle from V8's code cache (scripts/cli-loader.mjs).
    it('runs the bin from the code cache it ships; on a refused cache it keeps its own, once; COMPILE_CACHE=off keeps none', async () => {
      const bin = join(installed, 'dist/cli/main.js');
      const shipped = readdirSync(join(installed, 'dist/cli')).filter((f) => f.endsWith('.v8-cache'));
      expect(shipped).toEqual([expect.stringContaining(`.${process.version}-${process.arch}.v8-cache`)]);
      const cacheHome = join(work, 'xdg-cache');
      const env = { XDG_CACHE_HOME: cacheHome };
      const own = () =>
        existsSync(join(cacheHome, 'nexus-harness')) ? readdirSync(join(cacheHome, 'nexus-harness')) : [];

      // This Node built the shipped cache: V8 takes it, so the bin writes none of its own.
      expect(
        ok(await run(process.execPath, [bin, '--version'], { cwd: project, env }), 'bin --version').stdout,
      ).toMatch(/^\d+\.\d+\.\d+/);
      expect(own()).toEqual([]);

      // A V8 flag changes what V8 accepts: the shipped cache is refused, so the bin compiles and
      // keeps a cache for this flag; the next run reads it and does not write it again.
      const flagged = ['--max-semi-space-size=8', bin, 'list'];
      expect(
        ok(await run(process.execPath, flagged, { cwd: project, env }), 'bin list (flagged)').stdout,
      ).toMatch(/^smoke\s/m);
      expect(own()).toHaveLength(1);
      const written = statSync(join(cacheHome, 'nexus-harness', own()[0]!)).mtimeMs;
      expect(
        ok(await run(process.execPath, flagged, { cwd: project, env }), 'bin list (flagged, again)').stdout,
      ).toMatch(/^smoke\s/m);
      expect(statSync(join(cacheHome, 'nexus-harness', own()[0]!)).mtimeMs).toBe(written);

      // Off: nothing read, nothing written, the same output.
      const offHome = join(work, 'xdg-cache-off');
      const off = { XDG_CACHE_HOME: offHome, NEXUS_HARNESS_COMPILE_CACHE: 'off' };
      expect(
        ok(await run(process.execPath, flagged, { cwd: project, env: off }), 'bin list (off)').stdout,
      ).toMatch(/^smoke\s/m);
      expect(existsSync(offHome)).toBe(false);
    });
  },
);
