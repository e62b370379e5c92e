import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside node_modules, so the bundle resolves `tsx` as the installed package would.
const dir = `${root}node_modules/.cache/nexus-harness-test/ts-loader-${process.pid}`;
const fixture = (name: string) => `${root}test/fixtures/scenarios/valid/${name}`;

/**
 * The installed CLI runs on plain node, which cannot import TypeScript: this bundles the
 * scenario loader to plain JS (as the build does) and loads scenario files with it in a child
 * process with no loader registered.
 */
describe('scenario files on plain node (the installed CLI)', () => {
  let bundle = '';
  beforeAll(async () => {
    const { build } = await import('esbuild');
    await mkdir(dir, { recursive: true });
    bundle = `${dir}/load.mjs`;
    await build({
      entryPoints: [`${root}scenarios/model/load.ts`],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      external: ['tsx', 'tsx/*'],
      logLevel: 'error',
    });
    await writeFile(
      `${dir}/load-one.mjs`,
      `import { loadScenarioFile } from './load.mjs';
const s = await loadScenarioFile(process.argv[2]);
process.stdout.write(JSON.stringify({ name: s.name, iteration: typeof s.iteration, metrics: s.metrics }));
`,
    );
    await writeFile(
      `${dir}/plain.mjs`,
      "export default { name: 'plain-js', executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } } };\n",
    );
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (file: string) =>
    JSON.parse((await run(process.execPath, [`${dir}/load-one.mjs`, file], { cwd: root })).stdout);

  it('loads a .ts scenario through tsx on demand, its scripted iteration intact', async () => {
    expect(await load(fixture('scripted.ts'))).toEqual({
      name: 'scripted',
      iteration: 'function',
      metrics: { ask_time: 'trend', questions: 'counter' },
    });
    expect(await load(fixture('conversation.scenario.ts'))).toMatchObject({ name: 'conversation-ts' });
  });

  it('loads .mjs and .json directly, and never imports tsx at startup', async () => {
    expect(await load(`${dir}/plain.mjs`)).toMatchObject({ name: 'plain-js', iteration: 'undefined' });
    expect(await load(fixture('mixed-open-model.json'))).toMatchObject({ iteration: 'undefined' });
    const text = await readFile(bundle, 'utf8');
    // Lazily, through importModule (harness/util/import-module.ts): tsx loads when a .ts file does.
    expect(text).toContain('importModule("tsx/esm/api")');
    expect(text).not.toMatch(/^import .*["']tsx/m);
  });
});
