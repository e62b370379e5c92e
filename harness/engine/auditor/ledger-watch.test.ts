import { describe, expect, it } from 'vitest';
import type { LedgerEffect, LedgerSnapshot } from '../../../mock-server/core/types.js';
import { addGap, COMPACTED_BY_ANOTHER_READER, type LedgerGap, watchLedger } from './ledger-watch.js';

/**
 * A fake mock: a ledger per instance, each with its own seq, swapped to simulate a restart,
 * and compacted (as another reader would) up to a seq.
 */
function fakeMock(options: { reportsCompaction?: boolean } = {}) {
  let instance = { id: 'A', effects: [] as LedgerEffect[], compactedThrough: 0 };
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
    effects: instance.effects.filter((e) => e.seq > Math.max(since, instance.compactedThrough)),
    dropped: 0,
    lastSeq: instance.effects.length,
    ...(options.reportsCompaction === false ? {} : { compactedThrough: instance.compactedThrough }),
  });
  return {
    effect,
    read,
    restart(id: string) {
      instance = { id, effects: [], compactedThrough: 0 };
    },
    /** Another reader releases everything recorded so far. */
    compactAll() {
      instance.compactedThrough = instance.effects.length;
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

  it('records a gap when another reader released entries it had not read, and none for its own compaction', async () => {
    const mock = fakeMock();
    const watch = watchLedger({ read: mock.read, now: mock.now });
    await watch.start();
    mock.effect('a');
    mock.tick(100);
    await watch.poll(); // read at 1100: has 'a'
    mock.compactAll(); // what this watch read: no gap
    mock.effect('b');
    mock.tick(100);
    await watch.poll(); // read at 1200: has 'b'
    mock.effect('released-by-another-reader');
    mock.compactAll();
    mock.effect('c');
    mock.tick(100);
    await watch.poll(); // read at 1300: behind what was released
    mock.effect('released-again');
    mock.compactAll();
    mock.tick(100);
    const { ledger, gaps } = await watch.finish(); // read at 1400: behind again, the gaps touch
    expect(ledger.effects.map((e) => e.opId)).toEqual(['a', 'b', 'c']);
    expect(gaps).toEqual([{ fromMs: 1_200, toMs: 1_400, reason: COMPACTED_BY_ANOTHER_READER }]);
    expect(COMPACTED_BY_ANOTHER_READER).toBe(
      'another reader of this mock released ledger entries this run had not read (compaction)',
    );
  });

  it('hands the compaction gap to onPage, and sees none from a mock without compactedThrough', async () => {
    const gapsSeen: (LedgerGap | null)[] = [];
    const mock = fakeMock();
    const watch = watchLedger({
      read: mock.read,
      now: mock.now,
      onPage: (_, info) => gapsSeen.push(info.gap),
    });
    await watch.start();
    mock.effect('a');
    mock.compactAll();
    mock.tick(50);
    await watch.finish();
    expect(gapsSeen).toEqual([{ fromMs: 1_000, toMs: 1_050, reason: COMPACTED_BY_ANOTHER_READER }]);

    const old = fakeMock({ reportsCompaction: false });
    const oldWatch = watchLedger({ read: old.read, now: old.now });
    await oldWatch.start();
    old.effect('a');
    old.compactAll();
    expect((await oldWatch.finish()).gaps).toEqual([]);
  });
});

describe('addGap', () => {
  it('merges a gap into the last one when the reason is the same and the spans touch', () => {
    const gaps: LedgerGap[] = [];
    addGap(gaps, { fromMs: 0, toMs: 10, reason: 'x' });
    addGap(gaps, { fromMs: 10, toMs: 20, reason: 'x' });
    addGap(gaps, { fromMs: 30, toMs: 40, reason: 'x' });
    addGap(gaps, { fromMs: 40, toMs: 50, reason: 'y' });
    expect(gaps).toEqual([
      { fromMs: 0, toMs: 20, reason: 'x' },
      { fromMs: 30, toMs: 40, reason: 'x' },
      { fromMs: 40, toMs: 50, reason: 'y' },
    ]);
  });
});
