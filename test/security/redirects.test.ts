import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMockAdmin, isHarnessMock } from '../../contracts/provider/provider-states.js';
import { createNexusClient } from '../../harness/client/client.js';
import { urlTarget } from '../../harness/targets/index.js';
import { UsageError } from '../../harness/util/errors.js';

/**
 * No request of the harness follows a redirect: a loopback server answering 302 with a Location
 * elsewhere (here: a second loopback server, the "trap", standing for a host off loopback) must
 * see the harness report the redirect, and the trap must see no request at all.
 */

interface Running {
  server: Server;
  origin: string;
  hits: string[];
}

const servers: Server[] = [];

async function listen(
  handler: (path: string, res: import('node:http').ServerResponse) => void,
): Promise<Running> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req.url ?? '/', res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** The trap (answers like a harness mock, so following a redirect there would be "trusted") and a redirector to it. */
async function redirectToTrap(only?: (path: string) => boolean) {
  const trap = await listen((_path, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok","apiKeys":["trap-key-000"],"requests":[],"effects":[],"dropped":0,"lastSeq":0}');
  });
  const redirector = await listen((path, res) => {
    if (only !== undefined && !only(path)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok","requests":[],"effects":[],"dropped":0,"lastSeq":0}');
      return;
    }
    res.writeHead(302, { location: `${trap.origin}${path}` });
    res.end();
  });
  return { trap, redirector };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('redirects are reported, never followed', () => {
  it('run --target url: the ledger probe refuses a redirect, naming the Location', async () => {
    const { trap, redirector } = await redirectToTrap();
    const err = await urlTarget({ url: `${redirector.origin}/api/public` })
      .open({ mock: { apiKeys: ['nexus-mock-key'] } as never, env: {} })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`302`);
    expect((err as Error).message).toContain(`${trap.origin}/__admin/health`);
    expect(redirector.hits).toEqual(['GET /__admin/health']);
    expect(trap.hits).toEqual([]);
  });

  it('run --target url: a redirect on the ledger read is an error naming the Location', async () => {
    const { trap, redirector } = await redirectToTrap((path) => path.startsWith('/__admin/ledger'));
    const target = await urlTarget({ url: `${redirector.origin}/api/public` }).open({
      mock: { apiKeys: ['nexus-mock-key'] } as never,
      env: {},
    });
    try {
      expect(target.readLedger).not.toBeNull();
      await expect(target.readLedger!(0)).rejects.toThrow(`${trap.origin}/__admin/ledger?since=0`);
    } finally {
      await target.close();
    }
    expect(trap.hits).toEqual([]);
  });

  for (const transport of ['fetch', 'undici'] as const) {
    it(`the client (${transport} transport) fails the attempt with the 3xx status and does not follow it`, async () => {
      const { trap, redirector } = await redirectToTrap();
      const client = createNexusClient({
        baseUrl: `${redirector.origin}/api/public`,
        apiKey: 'nexus-mock-key',
        transport,
        rateLimit: false,
        retry: { maxAttempts: 1 },
      });
      try {
        await expect(client.getSession('t1')).rejects.toMatchObject({ status: 302 });
      } finally {
        await client.close();
      }
      expect(redirector.hits).toEqual(['GET /api/public/thread/t1']);
      expect(trap.hits).toEqual([]);
    });
  }

  it('contracts: the provider-state admin client does not take a redirect for a mock', async () => {
    const { trap, redirector } = await redirectToTrap();
    expect(await isHarnessMock(redirector.origin)).toBe(false);
    await expect(connectMockAdmin(redirector.origin)).rejects.toThrow(`${trap.origin}/__admin/config`);
    expect(trap.hits).toEqual([]);
  });
});
