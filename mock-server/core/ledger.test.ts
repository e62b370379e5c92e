import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import type { LedgerEffect } from './types.js';

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
});
