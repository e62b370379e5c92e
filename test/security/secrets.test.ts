import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { type EchoProvider, startEchoProvider } from '../fixtures/echo-provider/echo-provider.js';
import { type CliBatch, type CliOutcome, runCliBatch } from '../support/cli.js';

/**
 * One unique, real-looking key, given in every documented way (NEXUS_API_KEY, a scenario's
 * `mock.apiKeys`, the password of a URL), appears in no output stream and in no file the harness
 * writes, across `run` (passing, failing thresholds, bad URL) and `contracts test|verify`
 * (against a mock, and against a provider that echoes every request header into its bodies).
 *
 * Every invocation runs in one process of its own (test/support/cli-batch.ts), one after the
 * other, each with its output captured apart; the scan covers each case's output and all the
 * process printed besides (Pact's native core, loaded by `contracts test`, writes to the
 * process's fds, past the invocation's streams).
 */

const SECRET = `nx_live_${randomBytes(20).toString('hex')}`;
/** The scenario file names the key, so it lives outside the folder that is scanned. */
const inputs = mkdtempSync(join(tmpdir(), 'nexus-harness-secrets-in-'));
/** Everything the harness writes goes under here, and every file here is scanned. */
const written = mkdtempSync(join(tmpdir(), 'nexus-harness-secrets-out-'));

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

/** With the key as the password of `url`. */
function withPassword(url: string, username: string): string {
  const u = new URL(url);
  u.username = username;
  u.password = SECRET;
  return u.href;
}

describe(`the key ${SECRET.slice(0, 8)}… is printed and stored nowhere`, () => {
  let mock: RunningMockServer;
  /** Echoes the key back to `run`; {@link echoVerified} to `contracts verify` (apart: each one's hits are its own). */
  let echo: EchoProvider;
  let echoVerified: EchoProvider;
  let batch: CliBatch;
  const ran = new Map<string, CliOutcome>();
  const outcome = (name: string) => ran.get(name)!;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, config: { apiKeys: [SECRET], limits: false, seed: 3 } });
    echo = await startEchoProvider();
    echoVerified = await startEchoProvider();
    const pactDir = join(written, 'pacts');
    const url = (target: string, name: string) => [
      '--target',
      'url',
      '--url',
      target,
      '--out',
      join(written, name),
    ];
    const cases: [string, string[]][] = [
      ['run pass', ['run', scenarioFile('pass'), '--out', join(written, 'pass')]],
      [
        'run fail',
        ['run', scenarioFile('fail', { thresholds: { ops: ['count<1'] } }), '--out', join(written, 'fail')],
      ],
      ['run url', ['run', scenarioFile('url'), ...url(mock.url, 'url')]],
      ['run echo', ['run', scenarioFile('echo'), ...url(echo.url, 'echo')]],
      ['bad url: password', ['run', 'smoke', ...url(withPassword(mock.url, 'user'), 'bad')]],
      ['bad url: remote', ['run', 'smoke', ...url(`http://user:${SECRET}@10.255.255.1/api/public`, 'bad')]],
      ['bad url: unparsable', ['run', 'smoke', ...url(`http://user:${SECRET}@[bad/api/public`, 'bad')]],
      ['contracts test', ['contracts', 'test', '--pact-dir', pactDir]],
      ['verify mock', ['contracts', 'verify', '--provider-url', mock.url, '--pact-dir', pactDir]],
      ['verify echo', ['contracts', 'verify', '--provider-url', echoVerified.url, '--pact-dir', pactDir]],
      [
        'verify bad url',
        ['contracts', 'verify', '--provider-url', withPassword(echoVerified.url, 'u'), '--pact-dir', pactDir],
      ],
    ];
    batch = await runCliBatch(
      cases.map(([, args]) => args),
      { env: { NEXUS_API_KEY: SECRET } },
    );
    for (const [i, [name]] of cases.entries()) ran.set(name, batch.outcomes[i]!);
  }, 200_000);

  afterAll(async () => {
    await mock?.close();
    await echo?.close();
    await echoVerified?.close();
    rmSync(inputs, { recursive: true, force: true });
    rmSync(written, { recursive: true, force: true });
  });

  it('run (mock.apiKeys in the scenario, NEXUS_API_KEY set): passes, key used, result by fingerprint', () => {
    const pass = outcome('run pass');
    expect(pass.code, pass.stderr).toBe(EXIT_CODES.OK);
    const result = JSON.parse(readFileSync(join(written, 'pass', 'result.json'), 'utf8'));
    expect(result.scenario.resolved.mock.apiKeys).toEqual([expect.stringMatching(/^k_[0-9a-f]{12}$/)]);
  });

  it('run with a failing threshold (exit 99)', () => {
    const fail = outcome('run fail');
    expect(fail.stdout).toContain('FAILED');
    expect(fail.code).toBe(EXIT_CODES.THRESHOLDS_FAILED);
  });

  it('run --target url against a mock that accepts only that key (NEXUS_API_KEY is sent)', () => {
    const url = outcome('run url');
    expect(url.stdout).toMatch(/audit\s+duplicates 0/);
    expect(url.code, url.stderr).toBe(EXIT_CODES.OK);
  });

  it('run --target url against a provider that echoes the key into every body (ops fail)', () => {
    expect(echo.hits.some((h) => h.includes('/api/public/thread'))).toBe(true);
    expect([EXIT_CODES.OK, EXIT_CODES.THRESHOLDS_FAILED]).toContain(outcome('run echo').code);
  });

  it('run with the key as the password of --url (loopback, and remote): exit 2', () => {
    for (const name of ['bad url: password', 'bad url: remote']) {
      expect(outcome(name).stderr, name).toMatch(/Refusing --url/);
      expect(outcome(name).code, name).toBe(EXIT_CODES.USAGE);
    }
  });

  // An unparsable --url is quoted through redactUrl(), so even a URL that does not parse
  // never shows its password.
  it('run with the key as the password of a --url that does not parse: exit 2, key not printed', () => {
    const unparsable = outcome('bad url: unparsable');
    expect(unparsable.code).toBe(EXIT_CODES.USAGE);
    expect(unparsable.stdout + unparsable.stderr).not.toContain(SECRET);
  });

  it('contracts test, then verify against the mock (its own key) and against the echoing provider', () => {
    expect(outcome('contracts test').code, outcome('contracts test').stdout).toBe(EXIT_CODES.OK);
    expect(outcome('verify mock').stdout).toContain('Verification passed: 16 interaction(s).');
    expect(outcome('verify mock').code).toBe(EXIT_CODES.OK);
    // The echoing provider got the key (so it had it to echo), and verification fails on it.
    expect(echoVerified.hits.length).toBeGreaterThanOrEqual(16);
    expect(outcome('verify echo').stdout).toMatch(/Verification FAILED/);
    expect(outcome('verify echo').code).toBe(EXIT_CODES.UNEXPECTED);
    expect(outcome('verify bad url').code).toBe(EXIT_CODES.USAGE);
  });

  it('…and in none of it: no stdout, no stderr (of a case, or of the process), no file under the output folders', () => {
    const leaks: string[] = [];
    for (const [name, r] of ran) {
      if (r.stdout.includes(SECRET)) leaks.push(`${name}: stdout`);
      if (r.stderr.includes(SECRET)) leaks.push(`${name}: stderr`);
    }
    // The protocol lines quote each case's output; the rest is what was printed past the cases' streams.
    if (batch.stdout.includes(SECRET)) leaks.push('the process: fd 1');
    if (batch.stderr.includes(SECRET)) leaks.push('the process: fd 2');
    const files = readdirSync(written, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const path = join(f.parentPath, f.name);
      if (readFileSync(path, 'utf8').includes(SECRET)) leaks.push(path);
    }
    expect(leaks).toEqual([]);
  });
});
