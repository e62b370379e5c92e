/**
 * The `mock` command through the CLI (in process, via runCli): what it prints (never a key),
 * and how it binds (loopback unless told otherwise, on purpose); and once through the bin,
 * in a process of its own, for its signal path (SIGTERM stops a serving mock, exit 0).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintKey } from '../../mock-server/core/keys.js';
import { type CliOutcome, runCliInProcess } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-harness-mock-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `nexus-harness mock ARGS`; once it prints its URL, `whileUp(origin)` runs against it,
 * then the mock is stopped (its caller's abort: Ctrl-C in process). A command that ends on
 * its own (bad usage) resolves as is. Bounded: stopped after 20 s whatever happens.
 */
async function mockCli(
  args: string[],
  whileUp: (origin: string, stdout: () => string) => Promise<void> = async () => {},
  env: NodeJS.ProcessEnv = {},
): Promise<CliOutcome & { error?: unknown }> {
  const stop = new AbortController();
  const bound = setTimeout(() => stop.abort(), 20_000);
  let started = false;
  let error: unknown;
  let stdoutSoFar = '';
  const outcome = await runCliInProcess(['mock', ...args], {
    env,
    signal: stop.signal,
    onStdout: (stdout) => {
      stdoutSoFar = stdout;
      const origin = /listening on (http:\/\/[^/\s]+)\//.exec(stdout)?.[1];
      if (origin !== undefined && !started) {
        started = true;
        whileUp(origin, () => stdoutSoFar)
          .catch((e) => {
            error = e;
          })
          .finally(() => stop.abort());
      }
    },
  });
  clearTimeout(bound);
  return { ...outcome, error };
}

describe('nexus-harness mock: no key is printed or served', () => {
  it('shows a marker key given by --api-key, --config or the admin reset body only as its fingerprint', async () => {
    const viaFlag = 'marker-flag-7f3b0c1d';
    const viaFile = 'marker-file-8a4c1e2f';
    const viaReset = 'marker-reset-9b5d2f30';
    const file = join(dir, 'mock.json');
    writeFileSync(file, JSON.stringify({ seed: 3, apiKeys: [viaFile, 'nexus-mock-key'] }));
    const bodies: string[] = [];
    const admin = async (origin: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${origin}/__admin${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      bodies.push(`${method} ${path} ${res.status} ${text}`);
      return { status: res.status, text };
    };
    const api = (origin: string, key: string) =>
      fetch(`${origin}/api/public/thread`, { method: 'POST', headers: { 'api-key': key } }).then(
        (r) => r.status,
      );

    const fromFlag = await mockCli(['--port', '0', '--api-key', viaFlag], async (origin) => {
      await admin(origin, 'GET', '/config');
      await admin(origin, 'GET', '/health');
      expect(await api(origin, viaFlag)).toBe(200);
      await admin(origin, 'GET', '/ledger');
      await admin(origin, 'POST', '/threads', { apiKey: 'not-a-key' }); // the 400 lists accepted keys
    });
    const fromFile = await mockCli(['--port', '0', '--config', file], async (origin) => {
      const config = await admin(origin, 'GET', '/config');
      // The public view round-trips: posted back, the fingerprint stands for the key.
      await admin(origin, 'POST', '/reset', JSON.parse(config.text));
      expect(await api(origin, viaFile)).toBe(200);
      await admin(origin, 'POST', '/reset', { apiKeys: [viaReset] });
      expect(await api(origin, viaReset)).toBe(200);
      await admin(origin, 'GET', '/config');
      await admin(origin, 'POST', '/reset', { apiKeys: viaReset }); // invalid: a string, not a list
      await admin(origin, 'PUT', '/limits', false);
      await admin(origin, 'PUT', '/faults', []);
    });

    for (const outcome of [fromFlag, fromFile]) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.code, outcome.stderr).toBe(0);
    }
    const everything = [fromFlag.stdout, fromFlag.stderr, fromFile.stdout, fromFile.stderr, ...bodies].join(
      '\n',
    );
    for (const marker of [viaFlag, viaFile, viaReset]) {
      expect(everything).not.toContain(marker);
      expect(everything).not.toContain(marker.slice(0, 12)); // not even a prefix
    }
    expect(fromFlag.stdout).toContain(fingerprintKey(viaFlag));
    expect(fromFile.stdout).toContain(fingerprintKey(viaFile));
    expect(fromFile.stdout).toContain('nexus-mock-key'); // the public demo key may be shown
    expect(bodies.join('\n')).toContain(fingerprintKey(viaReset));
    expect(bodies.some((b) => b.startsWith('POST /reset 400'))).toBe(true);
  }, 40_000);
});

describe('nexus-harness mock: binding', () => {
  it('refuses a non-loopback --host without --allow-remote-bind (exit 2, naming the flag), before binding', async () => {
    const outcome = await mockCli(['--host', '0.0.0.0', '--port', '0']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0.*--allow-remote-bind/s);
    expect(outcome.stdout).not.toContain('listening');
  });

  it('with --allow-remote-bind: warns on stderr, generates an admin token printed once, and requires it', async () => {
    let token = '';
    const statuses: Record<string, number> = {};
    const outcome = await mockCli(
      ['--host', '0.0.0.0', '--allow-remote-bind', '--port', '0'],
      async (origin, stdout) => {
        // The test talks to loopback only, whatever interface the mock bound.
        const local = origin.replace('0.0.0.0', '127.0.0.1');
        // The token line follows the URL line (maybe in a later chunk): wait for it, bounded.
        for (let i = 0; i < 50 && !stdout().includes('Press Ctrl-C'); i++)
          await new Promise((r) => setTimeout(r, 20));
        token = /Admin token \(generated[^)]*\): (\S+)/.exec(stdout())?.[1] ?? '';
        const get = (path: string, headers: Record<string, string> = {}) =>
          fetch(`${local}${path}`, { headers }).then(async (r) => {
            await r.body?.cancel();
            return r.status;
          });
        statuses.health = await get('/__admin/health');
        statuses.noToken = await get('/__admin/ledger');
        statuses.wrongToken = await get('/__admin/ledger', { 'x-admin-token': 'nope' });
        statuses.token = await get('/__admin/ledger', { 'x-admin-token': token });
        statuses.publicApi = await get('/api/public/thread/x', { 'api-key': 'nexus-mock-key' });
      },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toMatch(/Warning: listening on 0\.0\.0\.0, not loopback.*admin API.*reachable/s);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(outcome.stdout.split(token).length - 1).toBe(1); // printed once
    expect(statuses).toEqual({ health: 200, noToken: 401, wrongToken: 401, token: 200, publicApi: 404 });
  });
});

describe('nexus-harness mock: the bin', () => {
  it('serves until SIGTERM, then closes and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', 'mock', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let sent = false;
    child.stdout!.on('data', (d) => {
      stdout += d;
      // Once: a second SIGTERM after the first has been handled would be the default action.
      // After one answered request, as a user would: a SIGTERM in the very instant the banner
      // appears was seen to end the process by the signal's default action (before this
      // change too), which is a start-up race of its own, not what this test is about.
      const origin = /listening on (http:\/\/[^/\s]+)\//.exec(stdout)?.[1];
      if (!sent && origin !== undefined && stdout.includes('Press Ctrl-C')) {
        sent = true;
        void fetch(`${origin}/__admin/health`)
          .then((r) => r.body?.cancel())
          .finally(() => child.kill('SIGTERM'));
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(kill);
    expect(stdout).toContain('SIGTERM: stopping');
    expect(stdout).toContain('Stopped.');
    expect(code).toBe(0);
  });
});
