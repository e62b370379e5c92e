import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import type { LedgerEffect, LedgerRequest } from './types.js';

const effect = (seq: number): LedgerEffect => ({
  seq,
  at: seq,
  kind: 'message_stored',
  keyId: 'k',
  threadId: 't',
  messageId: `m${seq}`,
  idempotencyKey: null,
  opId: null,
  requestSeq: null,
});

describe('Ledger', () => {
  it('reads entries after a sequence number', () => {
    const ledger = new Ledger(100);
    for (let i = 0; i < 10; i++) ledger.addEffect(effect(ledger.nextSeq()));
    const since = ledger.read(7);
    expect(since.effects.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(since.lastSeq).toBe(10);
  });

  it('stops at its capacity and counts what it dropped', () => {
    const ledger = new Ledger(3);
    const recorded = [1, 2, 3, 4, 5].map(() => ledger.addEffect(effect(ledger.nextSeq())));
    expect(recorded).toEqual([true, true, true, false, false]);
    expect(ledger.read()).toMatchObject({ dropped: 2, lastSeq: 5 });
    expect(ledger.read().effects).toHaveLength(3);
  });

  it('compacts: released entries are gone from reads, later ones and the seq are kept', () => {
    const ledger = new Ledger(100);
    for (let i = 0; i < 10; i++) ledger.addEffect(effect(ledger.nextSeq()));
    ledger.compact(6);
    expect(ledger.held()).toBe(4);
    expect(ledger.read(0).effects.map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(ledger.read(8).effects.map((e) => e.seq)).toEqual([9, 10]);
    ledger.compact(3); // behind what is released already: nothing changes
    ledger.compact(1_000); // past the last seq: everything held goes, nothing recorded later does
    expect(ledger.held()).toBe(0);
    ledger.addEffect(effect(ledger.nextSeq()));
    expect(ledger.read(0)).toMatchObject({ lastSeq: 11, dropped: 0 });
    expect(ledger.read(0).effects.map((e) => e.seq)).toEqual([11]);
  });

  it('says in every read how far it is released: the highest seq compacted, never past the last one', () => {
    const ledger = new Ledger(100);
    expect(ledger.read(0).compactedThrough).toBe(0);
    for (let i = 0; i < 10; i++) ledger.addEffect(effect(ledger.nextSeq()));
    ledger.compact(6);
    expect(ledger.read(8)).toMatchObject({ compactedThrough: 6, lastSeq: 10 });
    ledger.compact(3); // behind: nothing changes
    expect(ledger.read(0).compactedThrough).toBe(6);
    ledger.compact(1_000); // past the last seq: released up to the last seq only
    expect(ledger.read(0).compactedThrough).toBe(10);
    ledger.addEffect(effect(ledger.nextSeq()));
    expect(ledger.read(0)).toMatchObject({ compactedThrough: 10, lastSeq: 11 });
    expect(ledger.read(0).effects.map((e) => e.seq)).toEqual([11]);
  });

  it('measures its capacity against what it holds: a compacted ledger records again, and keeps its dropped count', () => {
    const ledger = new Ledger(3);
    const first = [1, 2, 3, 4].map(() => ledger.addEffect(effect(ledger.nextSeq())));
    expect(first).toEqual([true, true, true, false]);
    ledger.compact(ledger.read().lastSeq);
    const second = [1, 2, 3, 4].map(() => ledger.addEffect(effect(ledger.nextSeq())));
    expect(second).toEqual([true, true, true, false]);
    expect(ledger.read()).toMatchObject({ dropped: 2, lastSeq: 8 });
    expect(ledger.read().effects.map((e) => e.seq)).toEqual([5, 6, 7]);
  });

  it('stays small and correct over a long run read and compacted in pages (requests and effects interleaved)', () => {
    const ledger = new Ledger(10_000);
    let cursor = 0;
    let readEffects = 0;
    let readRequests = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 500; i++) {
        const seq = ledger.nextSeq();
        if (seq % 3 === 0) ledger.addRequest(request(seq));
        else ledger.addEffect(effect(seq));
      }
      const page = ledger.read(cursor);
      readEffects += page.effects.length;
      readRequests += page.requests.length;
      // Pages follow on: each starts right after the last seq read.
      expect(Math.min(page.effects[0]!.seq, page.requests[0]!.seq)).toBe(cursor + 1);
      cursor = page.lastSeq;
      // Keep the last 100 (a reader that acknowledged less than it read): they stay readable.
      ledger.compact(cursor - 100);
      expect(ledger.held()).toBe(100);
      const kept = ledger.read(0);
      expect([...kept.requests, ...kept.effects].map((e) => e.seq).sort((a, b) => a - b)[0]).toBe(
        cursor - 99,
      );
    }
    expect(readEffects + readRequests).toBe(100_000);
    expect(ledger.read()).toMatchObject({ dropped: 0, lastSeq: 100_000 });
  });
});

function request(seq: number): LedgerRequest {
  return {
    seq,
    at: seq,
    method: 'POST',
    route: 'sendMessage',
    path: '/api/public/thread/t/messages',
    keyId: 'k',
    idempotencyKey: null,
    opId: null,
    status: 200,
    fault: null,
    delayMs: 0,
    replayed: false,
    retryAfterUntil: null,
    resetAt: null,
  };
}
