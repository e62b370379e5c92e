import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/util/errors.js';
import { ConfigError } from '../../harness/util/validation.js';
import { loadScenarioFile } from './load.js';
import { validateScenario } from './scenario.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/scenarios/', import.meta.url));
const invalidDir = join(fixtures, 'invalid');
const validDir = join(fixtures, 'valid');

/** Each malformed fixture and what its error message must contain (field path and detail). */
const INVALID: Record<string, (string | RegExp)[]> = {
  'unknown-executor-type.json': [
    'executors.main.executor: expected executor to be one of constant-vus, ramping-vus,',
    '(got "constant-rate")',
  ],
  'negative-rate.json': ['executors.main.rate: expected a positive number (got -5)'],
  'missing-duration.json': ["executors.main.duration: expected a duration such as '30s'", '(got nothing)'],
  'bad-duration-string.json': ['executors.main.duration: expected a duration', '(got "10 seconds")'],
  'maxvus-below-preallocated.json': [
    'executors.main.maxVUs: expected maxVUs ≥ preAllocatedVUs (50) (got 20)',
  ],
  'empty-stages.json': ['executors.ramp.stages: expected at least one stage {duration, target} (got [])'],
  'unknown-op-in-mix.json': ['workload.mix.deleteSession: unknown operation; expected one of createSession,'],
  'zero-weight-sum.json': ['workload.mix: expected at least one operation with a weight > 0'],
  'bad-threshold-shape.json': [
    'thresholds.op_duration[0].threshold: expected a threshold expression',
    'thresholds.op_duration[0].expr: unknown field',
  ],
  'unknown-top-level-key.json': ['threshold: unknown field'],
  'vus-wrong-type.json': ['executors.main.vus: expected a positive integer (got "10")'],
  'bad-mock-fault.json': ['mock.faults[0].probability:', '(got 1.5)'],
  'json-syntax-error.json': [/json-syntax-error\.json:4:42: expected ',' or '}' after a property, found '"'/],
  'start-time-not-duration.json': ['executors.main.startTime: expected a duration', '(got "after warm")'],
  'iterations-not-integer.json': ['executors.main.iterations: expected a positive integer (got 2.5)'],
  'no-executors.json': ['executors: expected at least one executor (got {})'],
  'bad-client-retry.json': [
    'client.retry.maxAttempts: expected a positive integer (got 0)',
    'client.batching.flushMs: unknown field',
  ],
  'bad-client-rate-limited-attempts.json': [
    'client.retry.maxRateLimitedAttempts: expected a positive integer (got 0)',
  ],
  'bad-client-backoff-base.json': ['client.retry.backoff.baseMs: expected a duration > 0 ms (got 0)'],
  'url-target-without-url.json': ["url: expected an http(s) URL: target 'url' needs one (got nothing)"],
  'unknown-target.json': ['target: expected one of mock, msw, url, real, pact, app (got "staging")'],
  'missing-name.json': ['name: expected a name of letters, digits', '(got nothing)'],
  'negative-stage-target.json': ['executors.ramp.stages[1].target: expected an integer ≥ 0 (got -1)'],
  'shared-iterations-below-vus.json': [
    'executors.main.iterations: expected at least as many iterations as vus (10) (got 5)',
  ],
  'executors-not-object.json': ['executors: expected an object of executor name → executor config'],
  // The threshold problems of this one come from the CLI, which also parses the expressions.
  'scenario-and-threshold-errors.json': ['executors.main.vus: expected a positive integer (got -1)'],
  'null-scenario.json': ['(root): expected object, received null (got null)'],
  'reserved-keys.json': [
    'workload.mix.__proto__: "__proto__" is not allowed as a name',
    'thresholds.__proto__: "__proto__" is not allowed as a name',
  ],
  'sizes-too-large.json': [
    'executors.closed.vus: expected at most 20,000 VUs (the limit of one process) (got 1000000000)',
    'executors.closed.duration: expected a duration of at most 24h (86400000 ms) (got "1000h")',
    'executors.open.rate: expected at most 100,000 iterations per 1s timeUnit',
    'executors.open.duration: expected a duration of at most 24h (86400000 ms) (got 1e+300)',
    'executors.open.preAllocatedVUs: expected at most 20,000 VUs',
    'executors.counted.iterations: expected at most 10,000,000 iterations per executor (got 1000000000)',
    'executors.ramp.stages[0].target: expected at most 20,000 VUs',
  ],
  'many-problems.json': [
    'name: expected a name',
    'executors.a.rate: expected a positive number (got 0)',
    'executors.a.duration: expected a duration',
    'executors.a.preAllocatedVUs: expected an integer ≥ 0 (got 2.5)',
    'executors.b.stages[0].duration: expected a duration',
    'executors.b.gracefulStop: expected a duration',
    'workload.mix.conversation: expected a weight ≥ 0 (got -1)',
    'workload.conversation.turns: expected a positive integer (got 0)',
    'seed: expected an integer (got "seven")',
  ],
};

async function loadError(file: string): Promise<ConfigError> {
  try {
    await loadScenarioFile(file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('malformed scenario fixtures', () => {
  it('has at least 15 fixtures, each with an expectation', () => {
    // biome.json there only keeps the linter away from the deliberately broken JSON file.
    const files = readdirSync(invalidDir).filter((f) => f.endsWith('.json') && f !== 'biome.json');
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(files.sort()).toEqual(Object.keys(INVALID).sort());
  });

  it.each(Object.entries(INVALID))('%s fails naming the field', async (file, expected) => {
    const err = await loadError(join(invalidDir, file));
    expect(HarnessError.is(err)).toBe(true);
    expect(err.code).toBe('NH_CONFIG_INVALID');
    expect(err.message).toContain(`scenario file ${join(invalidDir, file)}`);
    for (const part of expected) {
      if (typeof part === 'string') expect(err.message).toContain(part);
      else expect(err.message).toMatch(part);
    }
  });

  it('reports every problem of a file at once', async () => {
    const err = await loadError(join(invalidDir, 'many-problems.json'));
    expect(err.problems.length).toBeGreaterThanOrEqual(9);
  });
});

describe('valid scenario fixtures', () => {
  it('loads the JSON smoke scenario with defaults applied', async () => {
    const scenario = await loadScenarioFile(join(validDir, 'smoke.json'));
    expect(scenario.executors.main).toMatchObject({
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 3,
      maxDuration: 60_000,
      gracefulStop: 30_000,
      startTime: 0,
    });
    expect(scenario.target).toBe('mock');
    expect(scenario.mock.seed).toBe(1);
    expect(scenario.workload?.conversation).toEqual({ turns: 2, thinkTime: 0 });
  });

  it('loads several executors with startTime, client and mock settings', async () => {
    const scenario = await loadScenarioFile(join(validDir, 'mixed-open-model.json'));
    expect(Object.keys(scenario.executors)).toEqual(['warmup', 'steady', 'spike']);
    expect(scenario.executors.steady).toMatchObject({ startTime: 5_000, maxVUs: 40, timeUnit: 1_000 });
    expect(scenario.executors.spike).toMatchObject({
      startTime: 15_000,
      stages: [{ duration: 5_000 }, { duration: 5_000 }],
    });
    expect(scenario.client.retry?.backoff).toEqual({ baseMs: 100, capMs: 5_000 });
    expect(scenario.client.timeouts).toEqual({ attemptTimeoutMs: 10_000 });
    expect(scenario.mock).toMatchObject({ seed: 42, limits: false });
    expect(scenario.mock.faults[0]).toMatchObject({ type: 'error', status: 503, afterEffect: false });
  });

  it('loads a TypeScript scenario through its default export', async () => {
    const scenario = await loadScenarioFile(join(validDir, 'conversation.scenario.ts'));
    expect(scenario.name).toBe('conversation-ts');
    expect(scenario.executors.main).toMatchObject({ executor: 'ramping-vus', gracefulRampDown: 5_000 });
    expect(scenario.workload?.conversation.thinkTime).toBe(500);
    expect(scenario.mock.seed).toBe(9);
  });

  it('validates its own output to the same scenario (re-validation after overrides is safe)', async () => {
    for (const file of ['smoke.json', 'mixed-open-model.json', 'conversation.scenario.ts']) {
      const scenario = await loadScenarioFile(join(validDir, file));
      expect(validateScenario(structuredClone(scenario))).toEqual(scenario);
    }
  });

  it('names the file when it is missing or of an unknown kind', async () => {
    expect((await loadError(join(validDir, 'nope.json'))).message).toMatch(
      /nope\.json.*cannot read the file \(ENOENT\)/s,
    );
    expect((await loadError(join(validDir, 'smoke.yaml'))).message).toMatch(/expected a \.json, \.ts/);
  });
});

describe('a .ts scenario in a CommonJS project', () => {
  it('loads as an ES module, so its import of an import-only package resolves (under tsx, as npm run cli runs)', async () => {
    // npm init's default project ("type": "commonjs") with a package whose exports have only an
    // `import` condition, as nexus-harness's have: compiled to CommonJS, the scenario's import
    // would become a require() the exports refuse ("Package subpath … is not defined by exports").
    const dir = mkdtempSync(join(tmpdir(), 'nexus-cjs-scenario-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        '{ "name": "consumer", "version": "1.0.0", "type": "commonjs" }\n',
      );
      const pkg = join(dir, 'node_modules', 'esm-only');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(
        join(pkg, 'package.json'),
        '{ "name": "esm-only", "type": "module", "exports": { ".": { "import": "./index.js" } } }\n',
      );
      writeFileSync(join(pkg, 'index.js'), "export const name = 'from-esm-only';\n");
      const scenario = join(dir, 'scenario.ts');
      writeFileSync(
        scenario,
        "import { name } from 'esm-only';\nconst duration: string = '1s';\nexport default { name, executors: { main: { executor: 'constant-vus', vus: 1, duration } } };\n",
      );
      // A child process: vitest would transform the file as ESM itself. `--import tsx` is how
      // `npm run cli` runs; the driver imports load.ts through tsx in both cases.
      const load = pathToFileURL(fileURLToPath(new URL('./load.ts', import.meta.url))).href;
      const driver = join(dir, 'driver.mjs');
      writeFileSync(
        driver,
        `const { loadScenarioFile } = await import(${JSON.stringify(load)});\n` +
          `const s = await loadScenarioFile(${JSON.stringify(scenario)});\n` +
          'process.stdout.write(JSON.stringify({ name: s.name, duration: s.executors.main.duration }));\n',
      );
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', driver], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      });
      expect(JSON.parse(stdout)).toEqual({ name: 'from-esm-only', duration: 1_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
