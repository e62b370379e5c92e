/**
 * `POST /__admin/ledger/compact?through=SEQ` on both faces: a reader that has read the ledger
 * up to a seq releases it, the mock's capacity counts what it still holds, every read says how
 * far it is released, a seq read from another instance is a 409, and a bad `through` is a 400
 * that changes nothing (never a 5xx).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../mock-server/core/clock.js';
import { client, expectError, T0 } from './client.js';
import { FACES } from './faces.js';

describe.each(FACES)('ledger compaction ($name face)', (face) => {
  beforeAll(() => face.setup());
  afterAll(() => face.teardown());

  it('releases what was read, keeps the seq and the rest, and frees room under the capacity', async () => {
    const inst = await face.start({ seed: 1, limits: false, ledgerCapacity: 6 }, manualClock(T0));
    try {
      const c = client(inst);
      for (let i = 0; i < 3; i++) await c.createThread(); // a request and an effect each
      const read = await c.ledger(0);
      expect(read.requests.length + read.effects.length).toBe(6);
      const full = await c.api('POST', '/thread', { body: {} }); // over capacity: not recorded
      expect(full.status).toBe(200);
      expect((await c.ledger(0)).dropped).toBe(2);

      const res = await c.admin('POST', `/ledger/compact?through=${read.lastSeq}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ compactedThrough: read.lastSeq, held: 0 });
      await c.createThread();
      const after = await c.ledger(0);
      expect(after.requests.map((r) => r.seq).every((seq) => seq > read.lastSeq)).toBe(true);
      expect(after.requests).toHaveLength(1);
      expect(after.effects).toHaveLength(1);
      expect(after).toMatchObject({ dropped: 2, instanceId: read.instanceId });
      expect(after.lastSeq).toBeGreaterThan(read.lastSeq);
    } finally {
      await inst.close();
    }
  });

  it("says in every read how far the ledger is released, and refuses (409) to compact for another instance's read", async () => {
    const inst = await face.start({ seed: 1, limits: false }, manualClock(T0));
    try {
      const c = client(inst);
      await c.createThread();
      const read = await c.ledger(0);
      expect(read.compactedThrough).toBe(0);
      // A seq read from another mock (this one restarted since): nothing is released.
      const stale = await c.admin(
        'POST',
        `/ledger/compact?through=${read.lastSeq}&instance=another-instance`,
      );
      expectError(stale, 409, /instance "another-instance" is not this mock's .*Nothing was released/);
      expect(await c.ledger(0)).toEqual(read);
      const res = await c.admin(
        'POST',
        `/ledger/compact?through=${read.lastSeq}&instance=${encodeURIComponent(read.instanceId)}`,
      );
      expect(res.status, res.text).toBe(200);
      await c.createThread();
      const after = await c.ledger(0);
      expect(after.compactedThrough).toBe(read.lastSeq);
      expect(after.requests.every((r) => r.seq > read.lastSeq)).toBe(true);
    } finally {
      await inst.close();
    }
  });

  it('answers a bad `through` with a 400 and changes nothing', async () => {
    const inst = await face.start({ seed: 1, limits: false }, manualClock(T0));
    try {
      const c = client(inst);
      await c.createThread();
      const before = await c.ledger(0);
      expectError(await c.admin('POST', '/ledger/compact'), 400, /through must be a non-negative integer/);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom('-1', '1.5', '1e3', '', 'abc', '9999999999999999', '0x10', ' 1'),
            fc.string({ maxLength: 8 }).filter((s) => !/^\d{1,15}$/.test(s)),
          ),
          async (through) => {
            const res = await c.admin('POST', `/ledger/compact?through=${encodeURIComponent(through)}`);
            expectError(res, 400, /through must be a non-negative integer/);
          },
        ),
        { seed: 3, numRuns: 40 },
      );
      expect(await c.ledger(0)).toEqual(before);
      // The route is POST only.
      expect((await c.admin('GET', `/ledger/compact?through=${before.lastSeq}`)).status).toBe(404);
    } finally {
      await inst.close();
    }
  });
});
