import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyProvider } from '../../contracts/provider/verify-provider.js';

/**
 * Provider verification follows no redirect: Pact's verifier (native core and pact-js's proxy)
 * against a loopback provider that answers every request with 302 to a second loopback server
 * (the "trap", standing for a host off loopback) fails each interaction on the 302, and the trap
 * sees nothing.
 */

const pactDir = fileURLToPath(new URL('../../contracts/pacts', import.meta.url));
const servers: Server[] = [];

async function listen(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('contracts verify and redirects', () => {
  it('fails every interaction on the 302 and never requests the Location', async () => {
    const trap = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const provider = await listen((req, res) => {
      res.writeHead(302, { location: `${trap.origin}${req.url}` });
      res.end();
    });
    const report = await verifyProvider({
      providerUrl: `${provider.origin}/api/public`,
      pactDir,
      env: { NEXUS_API_KEY: 'nx_test_redirect_key' },
    });
    expect(report.passed).toBe(false);
    expect(report.interactions.length).toBeGreaterThanOrEqual(16);
    expect(report.interactions.filter((i) => i.ok)).toEqual([]);
    expect(report.interactions[0]!.problems.join('\n')).toMatch(/302/);
    expect(provider.hits.length).toBeGreaterThanOrEqual(16);
    expect(report.notes.join('\n')).toMatch(/redirect, which verification does not follow/);
    expect(report.notes.join('\n')).toContain(`→ 302 (Location ${trap.origin}/api/public/thread`);
    expect(trap.hits).toEqual([]);
  });
});
