import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { auditedColumns } from '../../mock-server/core/audit-columns.js';
import type { AuditedLedgerRequest } from '../../mock-server/core/types.js';
import { adminLedgerReader } from './admin-ledger.js';

/** A stand-in for mocks of other versions on loopback: what it answers for each `fields` value. */
type Answer = (fields: string | null) => { status: number; body: unknown };

const REQUESTS: AuditedLedgerRequest[] = [
  { seq: 1, at: 1_000.5, keyId: 'k1', opId: 'r.main.0.1', status: 200, retryAfterUntil: null, resetAt: null },
  { seq: 2, at: 1_002.25, keyId: 'k1', opId: null, status: 429, retryAfterUntil: 3_000, resetAt: 4_000 },
];
const REST = { effects: [], dropped: 0, lastSeq: 2, compactedThrough: 0, instanceId: 'i-1' };

let server: Server | undefined;
const asked: (string | null)[] = [];

async function mockAnswering(answer: Answer): Promise<string> {
  asked.length = 0;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/__admin/health') {
      res.end('{"ok":true}');
      return;
    }
    const fields = url.searchParams.get('fields');
    asked.push(fields);
    const { status, body } = answer(fields);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('adminLedgerReader', () => {
  it('reads the audit columns back into requests', async () => {
    const read = await adminLedgerReader(
      await mockAnswering(() => ({ status: 200, body: { ...REST, requests: auditedColumns(REQUESTS) } })),
      {},
    );
    expect(await read!(0)).toEqual({ ...REST, requests: REQUESTS });
    expect(asked).toEqual(['audit-columns']);
  });

  it('asks a mock from before the columns (a 400 for them) for fields=audit, from then on', async () => {
    const read = await adminLedgerReader(
      await mockAnswering((fields) =>
        fields === 'audit'
          ? { status: 200, body: { ...REST, requests: REQUESTS } }
          : { status: 400, body: { message: 'fields must be audit, or absent for every field' } },
      ),
      {},
    );
    expect(await read!(0)).toEqual({ ...REST, requests: REQUESTS });
    expect(await read!(2)).toEqual({ ...REST, requests: REQUESTS });
    expect(asked).toEqual(['audit-columns', 'audit', 'audit']);
  });

  it('takes the whole entries of a mock too old to know fields as they are', async () => {
    const whole = REQUESTS.map((r) => ({ ...r, method: 'GET', route: 'GET /thread/{id}' }));
    const read = await adminLedgerReader(
      await mockAnswering(() => ({ status: 200, body: { ...REST, requests: whole } })),
      {},
    );
    expect((await read!(0)).requests).toEqual(whole);
  });

  it('fails a page whose columns do not line up, saying which', async () => {
    const columns = { ...auditedColumns(REQUESTS), opId: ['only one'] };
    const read = await adminLedgerReader(
      await mockAnswering(() => ({ status: 200, body: { ...REST, requests: columns } })),
      {},
    );
    await expect(read!(0)).rejects.toThrow(
      /Failed to read the mock's ledger: ledger columns: opId is 1 long/,
    );
  });
});
