/**
 * `k6 export` over every built-in scenario: golden files (regenerate with
 * `UPDATE_K6_GOLDEN=1 npx vitest run test/runners/k6/export.test.ts`, then review the diff),
 * each script parsed as an ES module by `node --check` (k6's own imports are only parsed,
 * not resolved), and its `options` read back with k6's modules stubbed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOverrides } from '../../../harness/engine/run/overrides.js';
import { exportK6Script } from '../../../harness/runners/k6/index.js';
import { isUsageError } from '../../../harness/util/errors.js';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';
import { EXECUTOR_TYPES } from '../../../scenarios/model/executors/common.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';

const run = promisify(execFile);
const GOLDEN = join('test', 'runners', 'k6', 'golden');
const UPDATE = process.env.UPDATE_K6_GOLDEN === '1';
const tmp = mkdtempSync(join(tmpdir(), 'nh-k6-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Built-ins the export cannot express, and the op or feature its error must name. */
const INEXPRESSIBLE: Record<string, string> = { 'chat-app': "op 'chat'" };
const exported = Object.keys(BUILTIN_SCENARIOS).filter((name) => !(name in INEXPRESSIBLE));

/** k6's fields per executor (https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/). */
const K6_FIELDS: Record<string, string[]> = {
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
};
const COMMON = ['executor', 'startTime', 'gracefulStop', 'tags', 'env', 'exec'];

/** The script's `options`, its k6 imports replaced by stubs (and `__ENV` set) so Node can run its init code. */
async function optionsOf(name: string, script: string): Promise<Record<string, Record<string, unknown>>> {
  const stubbed = script
    .replace(
      "import http from 'k6/http';",
      'const http = { setResponseCallback() {}, expectedStatuses() {} };',
    )
    .replace("import { sleep } from 'k6';", 'const sleep = () => {};')
    .replace(
      "import { Counter, Rate, Trend } from 'k6/metrics';",
      'class Counter { constructor(n) { this.n = n; } } class Rate extends Counter {} class Trend extends Counter {}',
    );
  expect(stubbed).not.toMatch(/^import /m);
  const file = join(tmp, `${name}.options.mjs`);
  writeFileSync(
    file,
    `globalThis.__ENV = { NEXUS_BASE_URL: 'http://127.0.0.1:1', NEXUS_API_KEY: 'k' };\n${stubbed}`,
  );
  return ((await import(pathToFileURL(file).href)) as { options: Record<string, Record<string, unknown>> })
    .options;
}

describe('nexus-harness k6 export', () => {
  it('exports all but the inexpressible built-ins', () => {
    expect(exported.length).toBeGreaterThanOrEqual(8);
  });

  it.each(exported)('%s: matches its golden file, parses as an ES module, has k6 options', async (name) => {
    const script = exportK6Script(validateScenario(BUILTIN_SCENARIOS[name]));
    const golden = join(GOLDEN, `${name}.k6.js`);
    if (UPDATE) writeFileSync(golden, script);
    expect(existsSync(golden), `${golden} is missing: UPDATE_K6_GOLDEN=1 to write it`).toBe(true);
    expect(script, `${golden} differs: UPDATE_K6_GOLDEN=1 to regenerate it`).toBe(
      readFileSync(golden, 'utf8'),
    );

    const file = join(tmp, `${name}.mjs`);
    writeFileSync(file, script);
    await run(process.execPath, ['--check', file]); // rejects with the syntax error

    const options = await optionsOf(name, script);
    const scenario = validateScenario(BUILTIN_SCENARIOS[name]);
    expect(Object.keys(options.scenarios!)).toEqual(Object.keys(scenario.executors));
    for (const [executorName, entry] of Object.entries(options.scenarios!) as [
      string,
      Record<string, unknown>,
    ][]) {
      const type = entry.executor as string;
      expect(EXECUTOR_TYPES).toContain(type);
      expect(type).not.toBe('externally-controlled'); // gone in k6 v2
      for (const field of Object.keys(entry))
        expect([...COMMON, ...K6_FIELDS[type]!], `${executorName}.${field}`).toContain(field);
      for (const field of [
        'startTime',
        'gracefulStop',
        'duration',
        'maxDuration',
        'timeUnit',
        'gracefulRampDown',
      ]) {
        // Go's time.ParseDuration: "10s", "1m30s", "500ms".
        if (field in entry)
          expect(entry[field], `${executorName}.${field}`).toMatch(/^(\d+(\.\d+)?(h|m|s|ms|µs))+$/);
      }
    }
    for (const key of Object.keys(options.thresholds!))
      expect(key).toMatch(/^(http_req|iteration|op_|ops|rate_limited|reply_latency|checks|dropped)/);
    expect(script).toContain('http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));');
    expect(script).toContain("new Counter('rate_limited')");
    expect(script).toContain("'api-key': KEY");
    expect(script).toContain('__ENV.NEXUS_BASE_URL');
  });

  it.each(Object.entries(INEXPRESSIBLE))('%s: refused with a usage error naming %s', (name, what) => {
    let error: unknown;
    try {
      exportK6Script(validateScenario(BUILTIN_SCENARIOS[name]));
    } catch (err) {
      error = err;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toContain(what);
  });

  it("applies run's load overrides (--duration, --rate, --vus) before writing", async () => {
    const steady = applyOverrides(validateScenario(BUILTIN_SCENARIOS.steady), {
      durationMs: 5_000,
      rate: 7,
      vus: 3,
    });
    const options = await optionsOf('steady-overridden', exportK6Script(steady));
    expect(options.scenarios!.main).toMatchObject({
      duration: '5s',
      rate: 7,
      timeUnit: '1s',
      preAllocatedVUs: 3,
    });
  });

  it('leaves out, and names, thresholds only the harness measures', () => {
    const script = exportK6Script(validateScenario(BUILTIN_SCENARIOS.steady));
    expect(script).toMatch(/Not checked by k6 .*: completion, duplicates, lost, retry_after_violations/);
    expect(script).toContain('"dropped_iterations": [');
  });
});
