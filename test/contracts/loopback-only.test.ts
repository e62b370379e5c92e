import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { buildConnectHook, type ConnectHook, runCommand } from '../fixtures/connect-hook/connect-hook.js';

/**
 * Nothing leaves loopback. Under an LD_PRELOAD hook that refuses and records every connection,
 * datagram and name lookup to anything but loopback (test/fixtures/connect-hook), the CLI's
 * `contracts test` and `contracts verify` (Pact's native core included, with PACT_DO_NOT_TRACK
 * unset in the caller's environment), a `run` against a loopback server that redirects to
 * 10.255.255.1, and the contract test files themselves must leave the record empty.
 */

const hook = buildConnectHook();
const CLI = [process.execPath, ['--import', 'tsx', 'harness/cli/main.ts']] as const;
/** Off loopback, and routed nowhere: the hook refuses it before the kernel sees it. */
const OFF_LOOPBACK = 'http://10.255.255.1/';
/** The caller did not set it: the harness must (and the CLI's child processes inherit nothing else). */
const NO_TRACK_UNSET = { PACT_DO_NOT_TRACK: undefined };

const servers: Server[] = [];
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(typeof hook === 'string')(
  `nothing leaves loopback (under the connect hook${typeof hook === 'string' ? `: SKIPPED, ${hook}` : ''})`,
  () => {
    const h = hook as ConnectHook;
    let hookRefuses = false;
    let mock: RunningMockServer;
    const work = mkdtempSync(join(tmpdir(), 'nexus-harness-loopback-'));

    beforeAll(async () => {
      mock = await startMockServer({ port: 0, config: { seed: 3 } });
    });

    afterAll(async () => {
      await mock?.close();
      await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
      h.dispose();
      rmSync(work, { recursive: true, force: true });
    });

    /** Runs the CLI under the hook; returns its outcome and what the hook refused. */
    async function hooked(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 100_000) {
      h.clear();
      const ran = await runCommand(
        CLI[0],
        [...CLI[1], ...args],
        { ...NO_TRACK_UNSET, ...env, ...h.env },
        timeoutMs,
      );
      return { ...ran, output: ran.stdout + ran.stderr, refused: h.records() };
    }

    it('the hook itself refuses and records a non-loopback connect and a name lookup', async () => {
      // 0.0.0.0 is "not loopback" to the hook, yet reaches this machine's listener if the hook
      // failed: so this self-test cannot send anything off the machine.
      let accepted = 0;
      const origin = await listen((_req, res) => {
        accepted++;
        res.end();
      });
      const port = new URL(origin).port;
      h.clear();
      const script = `
        const s = require('node:net').connect(${port}, '0.0.0.0');
        s.on('connect', () => { console.log('connected'); s.destroy(); });
        s.on('error', (e) => {
          console.log('connect ' + e.code);
          if (e.code === 'ECONNREFUSED') require('node:dns').lookup('hook-selftest.invalid', (err) => console.log('lookup ' + (err && err.code)));
        });`;
      const ran = await runCommand(process.execPath, ['-e', script], h.env, 20_000);
      expect(ran.stdout).toContain('connect ECONNREFUSED');
      expect(ran.stdout).toContain('lookup ENOTFOUND');
      expect(accepted).toBe(0);
      const refused = h.records();
      expect(refused.some((r) => r.startsWith(`connect 0.0.0.0:${port} `))).toBe(true);
      expect(refused.some((r) => r.startsWith('getaddrinfo hook-selftest.invalid '))).toBe(true);
      hookRefuses = true;
    });

    it('contracts test and contracts verify <local mock>: pass, no telemetry banner, nothing refused', async () => {
      const pactDir = join(work, 'pacts');
      const test = await hooked(['contracts', 'test', '--pact-dir', pactDir]);
      expect(test.output).toContain('(16 interactions)');
      expect(test.code).toBe(EXIT_CODES.OK);
      expect(test.refused).toEqual([]);
      const verify = await hooked(['contracts', 'verify', '--provider-url', mock.url, '--pact-dir', pactDir]);
      expect(verify.output).toContain('Verification passed: 16 interaction(s).');
      expect(verify.code).toBe(EXIT_CODES.OK);
      expect(verify.refused).toEqual([]);
      for (const out of [test.output, verify.output]) expect(out).not.toMatch(/tracking events anonymously/i);
    }, 220_000);

    it(`run against a loopback server redirecting to ${OFF_LOOPBACK}: the redirect is reported, not followed`, async () => {
      expect(hookRefuses, 'the hook self-test must pass first').toBe(true);
      let probes = 0;
      // Redirects everything: the ledger probe meets the redirect first.
      const everything = await listen((_req, res) => {
        probes++;
        res.writeHead(302, { location: OFF_LOOPBACK }).end();
      });
      const out = join(work, 'run-redirect');
      const probe = await hooked([
        'run',
        'smoke',
        '--target',
        'url',
        '--url',
        `${everything}/api/public`,
        '--duration',
        '1s',
        '--out',
        out,
      ]);
      expect(probe.stderr).toContain(`answered 302 with Location ${OFF_LOOPBACK}`);
      expect(probe.code).toBe(EXIT_CODES.USAGE);
      expect(probes).toBe(1);
      expect(probe.refused).toEqual([]);

      // Not a mock (no admin API), but the API redirects: every attempt fails on its 302.
      let apiRequests = 0;
      const apiOnly = await listen((req, res) => {
        if (req.url?.startsWith('/__admin')) return void res.writeHead(404).end();
        apiRequests++;
        res.writeHead(302, { location: `${OFF_LOOPBACK}${req.url}` }).end();
      });
      const load = await hooked([
        'run',
        'smoke',
        '--target',
        'url',
        '--url',
        `${apiOnly}/api/public`,
        '--duration',
        '1s',
        '--out',
        out,
      ]);
      expect(apiRequests).toBeGreaterThan(0);
      expect(load.stdout).toMatch(/✗ op_failed/);
      expect(load.code).toBe(EXIT_CODES.THRESHOLDS_FAILED);
      expect(load.refused).toEqual([]);
    }, 120_000);

    it('the contract test files (vitest, project contracts) under the hook: pass, nothing refused', async () => {
      // Every contract file but this one (it would run itself) and the slow CLI acceptance file
      // (its commands are the ones run under the hook above).
      const files = [
        ...readdirSync(join(import.meta.dirname, '../../contracts'), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => join('contracts', f)),
        'test/contracts/provider-verification.test.ts',
        'test/contracts/redirects.test.ts',
      ];
      h.clear();
      const ran = await runCommand(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--project', 'contracts', ...files],
        { ...NO_TRACK_UNSET, ...h.env },
        170_000,
      );
      expect(ran.stdout + ran.stderr).toMatch(/Test Files {2}\d+ passed/);
      expect(ran.code, ran.stdout.slice(-2_000)).toBe(0);
      expect(h.records()).toEqual([]);
    }, 180_000);
  },
);
