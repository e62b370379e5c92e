/**
 * The url target's compaction of a remote mock's ledger (`POST /__admin/ledger/compact`):
 * it releases what the run has read on a real mock, nothing on a mock that restarted since the
 * page was read (409), is skipped for good against a mock too old to know the route (404),
 * and names the status of any other failure. The in-process targets check the instance too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adminLedgerCompactor, urlTarget } from '../../harness/targets/index.js';
import { inProcessCompactor } from '../../harness/targets/opened.js';
import { startMockServer } from '../../mock-server/http/server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A loopback server answering every request with `status`, counting the compaction calls. */
async function answering(status: number) {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

describe('adminLedgerCompactor', () => {
  it('compacts a mock in another process through the url target', async () => {
    const mock = await startMockServer({ config: { limits: false } });
    closers.push(mock.close);
    const opened = await urlTarget({ url: mock.url }).open({
      mock: { apiKeys: ['nexus-mock-key'] } as never,
      env: {},
    });
    closers.push(opened.close);
    for (let i = 0; i < 3; i++) {
      await fetch(`${mock.url}/thread`, {
        method: 'POST',
        headers: { 'api-key': opened.apiKey, 'content-type': 'application/json' },
        body: '{}',
      });
    }
    const page = await opened.readLedger!(0);
    expect(page.requests).toHaveLength(3);
    expect(opened.compactLedger).toBeDefined();
    await opened.compactLedger!(page.lastSeq, page.instanceId);
    const after = await opened.readLedger!(0);
    expect(after.requests.length + after.effects.length).toBe(0);
    expect(after.lastSeq).toBe(page.lastSeq);
  });

  it('releases nothing on a mock that is not the instance the page was read from (409: it restarted)', async () => {
    const mock = await startMockServer({ config: { limits: false } });
    closers.push(mock.close);
    const opened = await urlTarget({ url: mock.url }).open({
      mock: { apiKeys: ['nexus-mock-key'] } as never,
      env: {},
    });
    closers.push(opened.close);
    await fetch(`${mock.url}/thread`, {
      method: 'POST',
      headers: { 'api-key': opened.apiKey, 'content-type': 'application/json' },
      body: '{}',
    });
    const page = await opened.readLedger!(0);
    await expect(opened.compactLedger!(page.lastSeq, 'the-instance-before-a-restart')).rejects.toThrow(
      /Failed to compact the mock's ledger: the mock restarted since that page was read \(HTTP 409\)/,
    );
    expect(await opened.readLedger!(0)).toEqual(page);
  });

  it('skips compaction for good against a mock that does not know the route (404)', async () => {
    const old = await answering(404);
    const compact = adminLedgerCompactor(old.origin, {});
    await compact(10, 'i-1');
    await compact(20, 'i-1');
    expect(old.calls).toEqual(['POST /__admin/ledger/compact?through=10&instance=i-1']);
  });

  it('rejects with the status on any other failure, and tries again next time', async () => {
    const broken = await answering(500);
    const compact = adminLedgerCompactor(broken.origin, {});
    await expect(compact(10, 'i-1')).rejects.toThrow(/Failed to compact the mock's ledger: HTTP 500/);
    await expect(compact(20, 'i-1')).rejects.toThrow(/HTTP 500/);
    expect(broken.calls).toHaveLength(2);
  });
});

describe('inProcessCompactor', () => {
  it("compacts the simulator only for a page read from it (the mock and MSW targets' compactLedger)", async () => {
    const calls: number[] = [];
    const compact = inProcessCompactor({
      instanceId: 'this-one',
      compactLedger: (through: unknown) => {
        calls.push(through as number);
        return 0;
      },
    });
    await expect(compact(5, 'another')).rejects.toThrow(
      /Failed to compact the mock's ledger: the page was read from instance another, this mock is this-one/,
    );
    await compact(7, 'this-one');
    expect(calls).toEqual([7]);
  });
});
