import { describe, expect, it } from 'vitest';
import type { LedgerEffect, LedgerSnapshot } from '../../../mock-server/core/types.js';
import { watchLedger } from './ledger-watch.js';

/** A fake mock: a ledger per instance, each with its own seq, swapped to simulate a restart. */
function fakeMock() {
  let instance = { id: 'A', effects: [] as LedgerEffect[] };
  let now = 1_000;
  const effect = (opId: string): void => {
    const seq = instance.effects.length + 1;
    instance.effects.push({
      seq,
      at: now,
      kind: 'thread_created',
      keyId: 'k',
      threadId: `t${seq}`,
      messageId: null,
      idempotencyKey: null,
      opId,
      requestSeq: seq,
    });
  };
  const read = async (since: number): Promise<LedgerSnapshot> => ({
    instanceId: instance.id,
    requests: [],
    effects: instance.effects.filter((e) => e.seq > since),
    dropped: 0,
    lastSeq: instance.effects.length,
  });
  return {
    effect,
    read,
    restart(id: string) {
      instance = { id, effects: [] };
    },
    tick(ms: number) {
      now += ms;
    },
    now: () => now,
  };
}

describe('watchLedger', () => {
  it('reads only what the run added, continuing from the last seq', async () => {
    const mock = fakeMock();
    mock.effect('before-the-run');
    const watch = watchLedger({ read: mock.read, now: mock.now });
    await watch.start();
    mock.effect('a');
    await watch.poll();
    mock.effect('b');
    const { ledger, gaps } = await watch.finish();
    expect(ledger.effects.map((e) => e.opId)).toEqual(['a', 'b']);
    expect(gaps).toEqual([]);
  });

  it('notices a restart (another instanceId): keeps both ledgers and records the blind span as a gap', async () => {
    const mock = fakeMock();
    const watch = watchLedger({ read: mock.read, now: mock.now });
    await watch.start();
    mock.effect('a');
    mock.tick(100);
    await watch.poll(); // read at 1100
    mock.tick(100);
    mock.effect('lost-with-the-old-instance');
    mock.restart('B');
    mock.effect('c');
    mock.effect('d');
    mock.tick(100);
    const { ledger, gaps } = await watch.finish(); // read at 1300
    expect(ledger.effects.map((e) => e.opId)).toEqual(['a', 'c', 'd']);
    expect(ledger.instanceId).toBe('B');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ fromMs: 1_100, toMs: 1_300 });
    expect(gaps[0]?.reason).toMatch(/the mock restarted during the run \(instance A → B\)/);
  });

  it('runs reads one at a time, so overlapping polls never double-count', async () => {
    const mock = fakeMock();
    const watch = watchLedger({ read: mock.read, now: mock.now });
    await watch.start();
    mock.effect('a');
    await Promise.all([watch.poll(), watch.poll(), watch.poll()]);
    const { ledger } = await watch.finish();
    expect(ledger.effects.map((e) => e.opId)).toEqual(['a']);
  });

  it('with onPage hands over each page with its read time and any gap, and keeps no entry', async () => {
    const mock = fakeMock();
    const pages: { opIds: (string | null)[]; readAtMs: number; gap: boolean }[] = [];
    const watch = watchLedger({
      read: mock.read,
      now: mock.now,
      onPage: (page, info) =>
        pages.push({
          opIds: page.effects.map((e) => e.opId),
          readAtMs: info.readAtMs,
          gap: info.gap !== null,
        }),
    });
    await watch.start();
    mock.effect('a');
    mock.tick(100);
    await watch.poll();
    mock.restart('B');
    mock.effect('b');
    mock.tick(100);
    const { ledger, gaps } = await watch.finish();
    expect(pages).toEqual([
      { opIds: ['a'], readAtMs: 1_100, gap: false },
      { opIds: ['b'], readAtMs: 1_200, gap: true },
    ]);
    expect(ledger).toMatchObject({ requests: [], effects: [], instanceId: 'B', lastSeq: 1 });
    expect(gaps).toHaveLength(1);
  });

  it("counts what the ledger dropped during the run once, whatever the number of reads (a snapshot's count is a running total)", async () => {
    let dropped = 3; // before the run
    const read = async (): Promise<LedgerSnapshot> => ({
      instanceId: 'A',
      requests: [],
      effects: [],
      dropped,
      lastSeq: 0,
    });
    const watch = watchLedger({ read });
    await watch.start();
    dropped = 5;
    await watch.poll();
    await watch.poll();
    dropped = 6;
    const { ledger } = await watch.finish();
    expect(ledger.dropped).toBe(3);
  });
});
