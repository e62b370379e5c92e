/**
 * `GET /__admin/ledger?since=SEQ&fields=audit` and `&fields=audit-columns` on every face: the
 * same page, its requests cut to what an audit reads (as objects, or one array per field), so a
 * run that reads every request the mock recorded parses a fraction of it; any other `fields` is
 * a 400 naming what is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditedLedgerColumns, auditedRows } from '../../mock-server/core/audit-columns.js';
import { manualClock } from '../../mock-server/core/clock.js';
import { client, T0 } from './client.js';
import { FACES } from './faces.js';

const AUDITED = ['at', 'keyId', 'opId', 'resetAt', 'retryAfterUntil', 'seq', 'status'];

describe.each(FACES)('ledger audit view ($name face)', (face) => {
  beforeAll(() => face.setup());
  afterAll(() => face.teardown());

  it('gives the page of every field with each request cut to the audited fields, values unchanged', async () => {
    const inst = await face.start({ seed: 1, limits: { perMinute: { limit: 2 } } }, manualClock(T0));
    try {
      const c = client(inst);
      for (let i = 0; i < 3; i++) await c.api('POST', '/thread', { body: {} }); // the third is a 429
      const full = await c.ledger(0);
      const res = await c.admin('GET', '/ledger?since=0&fields=audit');
      expect(res.status, res.text).toBe(200);
      const view = res.json as typeof full;
      expect(full.requests.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(view.requests.map((r) => Object.keys(r).sort())).toEqual(full.requests.map(() => AUDITED));
      expect(view.requests).toEqual(
        full.requests.map((r) => Object.fromEntries(AUDITED.map((k) => [k, r[k as keyof typeof r]]))),
      );
      const { requests: _full, ...restOfFull } = full;
      const { requests: _view, ...restOfView } = view;
      expect(restOfView).toEqual(restOfFull);
    } finally {
      await inst.close();
    }
  });

  it('gives the same audited fields as columns, which read back to the same requests', async () => {
    const inst = await face.start({ seed: 1, limits: { perMinute: { limit: 2 } } }, manualClock(T0));
    try {
      const c = client(inst);
      for (let i = 0; i < 3; i++) await c.api('POST', '/thread', { body: {} }); // the third is a 429
      const rows = await c.admin('GET', '/ledger?since=0&fields=audit');
      const res = await c.admin('GET', '/ledger?since=0&fields=audit-columns');
      expect(res.status, res.text).toBe(200);
      const { requests: columns, ...restOfColumns } = res.json as { requests: AuditedLedgerColumns };
      const { requests: expected, ...restOfRows } = rows.json as { requests: unknown[] };
      expect(Object.keys(columns).sort()).toEqual(AUDITED);
      expect(columns.status).toEqual([200, 200, 429]);
      expect(auditedRows(columns)).toEqual(expected);
      expect(restOfColumns).toEqual(restOfRows);
      expect(res.text.length).toBeLessThan(rows.text.length);
    } finally {
      await inst.close();
    }
  });

  it('refuses any other fields with a 400 that says what is allowed', async () => {
    const inst = await face.start({ seed: 1 }, manualClock(T0));
    try {
      const res = await client(inst).admin('GET', '/ledger?since=0&fields=all');
      expect(res.status).toBe(400);
      expect(res.text).toContain('fields must be audit or audit-columns');
    } finally {
      await inst.close();
    }
  });
});
