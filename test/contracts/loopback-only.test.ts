import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { buildConnectHook, type ConnectHook, runCommand } from '../fixtures/connect-hook/connect-hook.js';
import { type CliBatch, type CliOutcome, runCliBatch } from '../support/cli.js';

/**
 * Nothing leaves loopback. Under an LD_PRELOAD hook that refuses and records every connection,
 * datagram and name lookup to anything but loopback (test/fixtures/connect-hook), the contract
 * tooling's entry points, through the CLI, with PACT_DO_NOT_TRACK unset in the caller's
 * environment, must leave the record empty: `contracts test` (the consumer cases, Pact's mock
 * servers), `contracts verify` (Pact's verifier, in its child process) against a local mock and
 * against a loopback provider that redirects every request to 10.255.255.1, `run --target pact`
 * (servePact), and a `run` against a loopback server that redirects to 10.255.255.1.
 *
 * They run one after the other in one process under the hook (test/support/cli-batch.ts): the
 * hook sees that process and every child it starts, and one start-up serves them all.
 */

const hook = buildConnectHook();
/** Off loopback, and routed nowhere: the hook refuses it before the kernel sees it. */
const OFF_LOOPBACK = 'http://10.255.255.1/';
/** The caller did not set it: the harness must (and the CLI's child processes inherit nothing else). */
const NO_TRACK_UNSET = { PACT_DO_NOT_TRACK: undefined };
/**
 * The key for a provider that is not a mock (the redirecting one); it is also the mock's own,
 * so the one environment of the batch serves every case.
 */
const API_KEY = 'nexus-mock-key';

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
    const pactDir = join(work, 'pacts');
    /** Requests each loopback server got: the probe meets a redirect first; the API redirects, the admin API is absent. */
    const hits = { everything: 0, apiOnly: 0, verifyRedirects: 0 };
    const cases: Record<string, string[]> = {};

    beforeAll(async () => {
      mock = await startMockServer({ port: 0, config: { seed: 3 } });
      const everything = await listen((_req, res) => {
        hits.everything++;
        res.writeHead(302, { location: OFF_LOOPBACK }).end();
      });
      const apiOnly = await listen((req, res) => {
        if (req.url?.startsWith('/__admin')) return void res.writeHead(404).end();
        hits.apiOnly++;
        res.writeHead(302, { location: `${OFF_LOOPBACK}${req.url}` }).end();
      });
      const verifyRedirects = await listen((req, res) => {
        hits.verifyRedirects++;
        res.writeHead(302, { location: `${OFF_LOOPBACK.slice(0, -1)}${req.url}` }).end();
      });
      const run = (url: string) => ['run', 'smoke', '--target', 'url', '--url', `${url}/api/public`];
      Object.assign(cases, {
        'contracts test': ['contracts', 'test', '--pact-dir', pactDir],
        'verify mock': ['contracts', 'verify', '--provider-url', mock.url, '--pact-dir', pactDir],
        'verify redirecting': ['contracts', 'verify', '--provider-url', `${verifyRedirects}/api/public`],
        'run pact': ['run', 'smoke', '--target', 'pact', '--duration', '1s', '--no-out'],
        'run probe redirected': [...run(everything), '--duration', '1s', '--out', join(work, 'run-redirect')],
        'run api redirected': [...run(apiOnly), '--duration', '1s', '--out', join(work, 'run-redirect')],
      });
    });

    afterAll(async () => {
      await mock?.close();
      await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
      h.dispose();
      rmSync(work, { recursive: true, force: true });
    });

    /** Every case, once, in one process under the hook, after the self-test; and what the hook refused meanwhile. */
    let batch: Promise<CliBatch & { refused: string[]; outcome: (name: string) => CliOutcome }> | undefined;
    function hooked() {
      batch ??= (async () => {
        h.clear();
        const names = Object.keys(cases);
        const ran = await runCliBatch(
          names.map((name) => cases[name]!),
          { env: { ...NO_TRACK_UNSET, NEXUS_API_KEY: API_KEY, ...h.env } },
        );
        return {
          ...ran,
          refused: h.records(),
          outcome: (name: string) => ran.outcomes[names.indexOf(name)]!,
        };
      })();
      return batch;
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

    it('contracts test, contracts verify <local mock> and run --target pact: pass, no telemetry banner, nothing refused', async () => {
      expect(hookRefuses, 'the hook self-test must pass first').toBe(true);
      const ran = await hooked();
      const test = ran.outcome('contracts test');
      expect(test.stdout).toContain('(16 interactions)');
      expect(test.code).toBe(EXIT_CODES.OK);
      const verify = ran.outcome('verify mock');
      expect(verify.stdout).toContain('Verification passed: 16 interaction(s).');
      expect(verify.code).toBe(EXIT_CODES.OK);
      const pact = ran.outcome('run pact');
      expect(pact.stdout + pact.stderr).toContain('smoke on pact');
      expect(pact.code, pact.stderr).toBe(EXIT_CODES.OK);
      expect(ran.refused).toEqual([]);
      // All the process printed, Pact's native core included.
      expect(ran.stdout + ran.stderr).not.toMatch(/tracking events anonymously/i);
    }, 220_000);

    it(`contracts verify against a loopback provider redirecting to ${OFF_LOOPBACK}: fails on the 302, follows nothing`, async () => {
      const ran = await hooked();
      const verify = ran.outcome('verify redirecting');
      expect(hits.verifyRedirects).toBeGreaterThanOrEqual(16);
      expect(verify.stdout).toMatch(/Verification FAILED: 16 of 16 interaction\(s\) failed/);
      expect(verify.stdout).toMatch(/redirect, which verification does not follow/);
      expect(verify.code).toBe(EXIT_CODES.UNEXPECTED);
      expect(ran.refused).toEqual([]);
    }, 220_000);

    it(`run against a loopback server redirecting to ${OFF_LOOPBACK}: the redirect is reported, not followed`, async () => {
      const ran = await hooked();
      const probe = ran.outcome('run probe redirected');
      expect(probe.stderr).toContain(`answered 302 with Location ${OFF_LOOPBACK}`);
      expect(probe.code).toBe(EXIT_CODES.USAGE);
      expect(hits.everything).toBe(1);

      // Not a mock (no admin API), but the API redirects: every attempt fails on its 302.
      const load = ran.outcome('run api redirected');
      expect(hits.apiOnly).toBeGreaterThan(0);
      expect(load.stdout).toMatch(/✗ op_failed/);
      expect(load.code).toBe(EXIT_CODES.THRESHOLDS_FAILED);
      expect(ran.refused).toEqual([]);
    }, 120_000);
  },
);
