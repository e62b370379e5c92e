/**
 * The packed package in a CommonJS project (`npm init -y`'s `"type": "commonjs"`): the
 * installed CLI runs a `.ts` scenario that imports `nexus-harness/engine`. tsx would compile
 * that file to CommonJS there, and the package's exports (import conditions only) refuse the
 * require(); scenarios/model/load.ts loads it as an ES module instead.
 *
 * A file of its own beside packed-tarball.test.ts (whose helpers it reuses, unchanged): it
 * builds into a staging folder of its own, not the repo's dist/, so the two may run at once.
 */
import { type ExecFileOptions, execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_TS } from './consumer-files.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without what `npm test` and vitest add for the repo's own package. */
function childEnv(): NodeJS.ProcessEnv {
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
  return { ...env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1' };
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
      { maxBuffer: 64 * 1024 * 1024, timeout: 180_000, ...options, env: childEnv() },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}.\n${ran.stdout}\n${ran.stderr}`);
  return ran;
}

const npmMissing = spawnSync(NPM, ['--version'], { encoding: 'utf8', env: childEnv() }).status !== 0;

describe.skipIf(npmMissing)('the packed package in a CommonJS project', { timeout: 120_000 }, () => {
  let work = '';
  let project = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'nexus-harness-cjs-'));
    const stage = join(work, 'package');
    project = join(work, 'consumer');
    mkdirSync(project);
    // The package as `npm run build` lays it out (type-checking is npm run typecheck's job).
    mkdirSync(join(stage, 'contracts'), { recursive: true });
    for (const file of ['package.json', 'README.md', 'LICENSE']) cpSync(join(ROOT, file), join(stage, file));
    cpSync(join(ROOT, 'contracts/pacts'), join(stage, 'contracts/pacts'), { recursive: true });
    ok(
      await run(
        process.execPath,
        [TSC, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', join(stage, 'dist')],
        {
          cwd: ROOT,
        },
      ),
      'tsc --outDir <stage>/dist',
    );
    const schema = 'scenarios/model/scenario.schema.json';
    cpSync(join(ROOT, schema), join(stage, 'dist', schema));
    const pack = ok(
      await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: stage }),
      'npm pack',
    );
    const tgz = join(work, JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0].filename);

    // What `npm init -y` writes: no "type" means CommonJS; say it, as npm 10+ does.
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'cjs-consumer', version: '1.0.0', type: 'commonjs' }, null, 2)}\n`,
    );
    await writeFile(join(project, 'scenario.ts'), SCENARIO_TS);
    const flags = ['--no-audit', '--no-fund', '--no-package-lock'];
    let install = await run(NPM, ['install', '--offline', ...flags, tgz], { cwd: project });
    if (install.code !== 0)
      install = await run(NPM, ['install', '--prefer-offline', ...flags, tgz], { cwd: project });
    ok(install, 'npm install <tarball>');
  }, 300_000);

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('runs a .ts scenario importing nexus-harness/engine with the installed CLI (plain node)', async () => {
    expect(readdirSync(join(project, 'node_modules'))).toContain('nexus-harness');
    const cli = join(project, 'node_modules/.bin/nexus-harness');
    const ran = await run(cli, ['run', './scenario.ts', '--duration', '1s', '--no-out'], { cwd: project });
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    expect(ran.stderr).not.toMatch(/not defined by "exports"|No "exports" main/);
  });
});
