import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { type EchoProvider, startEchoProvider } from '../fixtures/echo-provider/echo-provider.js';
import { runCli } from '../support/cli.js';

/**
 * One unique, real-looking key, given in every documented way (NEXUS_API_KEY, a scenario's
 * `mock.apiKeys`, the password of a URL), appears in no output stream and in no file the harness
 * writes, across `run` (passing, failing thresholds, bad URL) and `contracts test|verify`
 * (against a mock, and against a provider that echoes every request header into its bodies).
 */

const SECRET = `nx_live_${randomBytes(20).toString('hex')}`;
/** The scenario file names the key, so it lives outside the folder that is scanned. */
const inputs = mkdtempSync(join(tmpdir(), 'nexus-harness-secrets-in-'));
/** Everything the harness writes goes under here, and every file here is scanned. */
const written = mkdtempSync(join(tmpdir(), 'nexus-harness-secrets-out-'));

interface Ran {
  name: string;
  code: number | null;
  stdout: string;
  stderr: string;
}
const runs: Ran[] = [];

/** Runs the CLI with the marker key as NEXUS_API_KEY, and keeps what it printed for the final scan. */
async function cli(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const ran = { name, ...(await runCli(args, { env: { NEXUS_API_KEY: SECRET, ...env } })) };
  runs.push(ran);
  return ran;
}

function scenarioFile(name: string, extra: Record<string, unknown> = {}): string {
  const file = join(inputs, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      executors: { once: { executor: 'shared-iterations', vus: 2, iterations: 6 } },
      workload: { mix: { createSession: 1, getSession: 1 } },
      mock: { apiKeys: [SECRET], limits: false },
      thresholds: { op_failed: ['rate==0'] },
      ...extra,
    }),
  );
  return file;
}

describe(`the key ${SECRET.slice(0, 8)}… is printed and stored nowhere`, () => {
  let mock: RunningMockServer;
  let echo: EchoProvider;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, config: { apiKeys: [SECRET], limits: false, seed: 3 } });
    echo = await startEchoProvider();
  });

  afterAll(async () => {
    await mock?.close();
    await echo?.close();
    rmSync(inputs, { recursive: true, force: true });
    rmSync(written, { recursive: true, force: true });
  });

  it('run (mock.apiKeys in the scenario, NEXUS_API_KEY set): passes, key used, result by fingerprint', async () => {
    const ran = await cli('run pass', ['run', scenarioFile('pass'), '--out', join(written, 'pass')]);
    expect(ran.code, ran.stderr).toBe(EXIT_CODES.OK);
    const result = JSON.parse(readFileSync(join(written, 'pass', 'result.json'), 'utf8'));
    expect(result.scenario.resolved.mock.apiKeys).toEqual([expect.stringMatching(/^k_[0-9a-f]{12}$/)]);
  }, 110_000);

  it('run with a failing threshold (exit 99)', async () => {
    const file = scenarioFile('fail', { thresholds: { ops: ['count<1'] } });
    const ran = await cli('run fail', ['run', file, '--out', join(written, 'fail')]);
    expect(ran.stdout).toContain('FAILED');
    expect(ran.code).toBe(EXIT_CODES.THRESHOLDS_FAILED);
  }, 110_000);

  it('run --target url against a mock that accepts only that key (NEXUS_API_KEY is sent)', async () => {
    const ran = await cli('run url', [
      'run',
      scenarioFile('url'),
      '--target',
      'url',
      '--url',
      mock.url,
      '--out',
      join(written, 'url'),
    ]);
    expect(ran.stdout).toMatch(/audit\s+duplicates 0/);
    expect(ran.code, ran.stderr).toBe(EXIT_CODES.OK);
  }, 110_000);

  it('run --target url against a provider that echoes the key into every body (ops fail)', async () => {
    const ran = await cli('run echo', [
      'run',
      scenarioFile('echo'),
      '--target',
      'url',
      '--url',
      echo.url,
      '--out',
      join(written, 'echo'),
    ]);
    expect(echo.hits.some((h) => h.includes('/api/public/thread'))).toBe(true);
    expect([EXIT_CODES.OK, EXIT_CODES.THRESHOLDS_FAILED]).toContain(ran.code);
  }, 110_000);

  it('run with the key as the password of --url (loopback, and remote): exit 2', async () => {
    const withPassword = new URL(mock.url);
    withPassword.username = 'user';
    withPassword.password = SECRET;
    for (const [name, url] of [
      ['bad url: password', withPassword.href],
      ['bad url: remote', `http://user:${SECRET}@10.255.255.1/api/public`],
    ] as const) {
      const ran = await cli(name, [
        'run',
        'smoke',
        '--target',
        'url',
        '--url',
        url,
        '--out',
        join(written, 'bad'),
      ]);
      expect(ran.stderr).toMatch(/Refusing --url/);
      expect(ran.code).toBe(EXIT_CODES.USAGE);
    }
  }, 110_000);

  // An unparsable --url is quoted through redactUrl(), so even a URL that does not parse
  // never shows its password.
  it('run with the key as the password of a --url that does not parse: exit 2, key not printed', async () => {
    const ran = await cli('bad url: unparsable', [
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      `http://user:${SECRET}@[bad/api/public`,
      '--out',
      join(written, 'bad'),
    ]);
    runs.pop();
    expect(ran.code).toBe(EXIT_CODES.USAGE);
    expect(ran.stdout + ran.stderr).not.toContain(SECRET);
  }, 110_000);

  it('contracts test, then verify against the mock (its own key) and against the echoing provider', async () => {
    const pactDir = join(written, 'pacts');
    const test = await cli('contracts test', ['contracts', 'test', '--pact-dir', pactDir]);
    expect(test.code).toBe(EXIT_CODES.OK);
    const onMock = await cli('verify mock', [
      'contracts',
      'verify',
      '--provider-url',
      mock.url,
      '--pact-dir',
      pactDir,
    ]);
    expect(onMock.stdout).toContain('Verification passed: 16 interaction(s).');
    expect(onMock.code).toBe(EXIT_CODES.OK);
    const onEcho = await cli('verify echo', [
      'contracts',
      'verify',
      '--provider-url',
      echo.url,
      '--pact-dir',
      pactDir,
    ]);
    expect(onEcho.stdout).toMatch(/Verification FAILED/);
    expect(onEcho.code).toBe(EXIT_CODES.UNEXPECTED);
    const withPassword = new URL(echo.url);
    withPassword.password = SECRET;
    withPassword.username = 'u';
    const badUrl = await cli('verify bad url', [
      'contracts',
      'verify',
      '--provider-url',
      withPassword.href,
      '--pact-dir',
      pactDir,
    ]);
    expect(badUrl.code).toBe(EXIT_CODES.USAGE);
  }, 200_000);

  it('…and in none of it: no stdout, no stderr, no file under the output folders', () => {
    expect(runs.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'run pass',
        'run fail',
        'run url',
        'run echo',
        'contracts test',
        'verify mock',
        'verify echo',
      ]),
    );
    const leaks: string[] = [];
    for (const r of runs) {
      if (r.stdout.includes(SECRET)) leaks.push(`${r.name}: stdout`);
      if (r.stderr.includes(SECRET)) leaks.push(`${r.name}: stderr`);
    }
    const files = readdirSync(written, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const path = join(f.parentPath, f.name);
      if (readFileSync(path, 'utf8').includes(SECRET)) leaks.push(path);
    }
    expect(leaks).toEqual([]);
  });
});
