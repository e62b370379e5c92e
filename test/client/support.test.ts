import { describe, expect, it } from 'vitest';
import type { LedgerRequest, LedgerSnapshot } from '../../mock-server/core/types.js';
import { type AttemptRecord, admittedPerWindow, effectsPerOp, findEarlyRequests } from './support.js';

/** The audits themselves: they must catch what they claim to catch. */

function request(
  seq: number,
  at: number,
  opId: string,
  status: number,
  until: number | null = null,
): LedgerRequest {
  return {
    seq,
    at,
    method: 'POST',
    route: 'sendMessage',
    path: '/api/public/thread/t/messages',
    keyId: 'k_1',
    idempotencyKey: null,
    opId,
    status,
    fault: null,
    delayMs: 0,
    replayed: false,
    retryAfterUntil: until,
    resetAt: until,
  };
}

const ledger = (requests: LedgerRequest[]): LedgerSnapshot => ({
  instanceId: 'mock-1',
  requests,
  effects: [],
  dropped: 0,
  lastSeq: 0,
});
const attempt = (opId: string, n: number, startMs: number, headersAtMs: number | null): AttemptRecord => ({
  opId,
  attempt: n,
  startMs,
  headersAtMs,
  status: null,
});

describe('findEarlyRequests', () => {
  it('flags an attempt started after a 429 arrived that reached the server before its reset', () => {
    const l = ledger([
      request(1, 100, 'a', 429, 2_000),
      request(2, 150, 'b', 200),
      request(3, 2_000, 'a', 200),
    ]);
    const attempts = [attempt('a', 1, 99, 101), attempt('b', 1, 149, 151), attempt('a', 2, 1_999, 2_001)];
    expect(findEarlyRequests(l, attempts)).toEqual([
      { opId: 'b', attempt: 1, arrivedAtMs: 150, toldUntilMs: 2_000 },
    ]);
  });

  it('does not blame an attempt that was already on its way when the 429 arrived', () => {
    const l = ledger([request(1, 100, 'a', 429, 2_000), request(2, 102, 'b', 200)]);
    expect(findEarlyRequests(l, [attempt('a', 1, 99, 103), attempt('b', 1, 101, 104)])).toEqual([]);
  });

  it('refuses to match attempts to a ledger that lost requests', () => {
    expect(() => findEarlyRequests(ledger([]), [attempt('a', 1, 0, null)])).toThrow(/1 attempts but 0/);
  });
});

describe('effectsPerOp and admittedPerWindow', () => {
  it('count effects per op and admitted requests per aligned window', () => {
    const l: LedgerSnapshot = {
      ...ledger([request(1, 999, 'a', 200), request(2, 1_000, 'b', 429), request(3, 1_001, 'b', 200)]),
      effects: [
        {
          seq: 4,
          at: 1,
          kind: 'message_stored',
          keyId: 'k',
          threadId: 't',
          messageId: 'm1',
          idempotencyKey: null,
          opId: 'a',
          requestSeq: 1,
        },
        {
          seq: 5,
          at: 2,
          kind: 'message_stored',
          keyId: 'k',
          threadId: 't',
          messageId: 'm2',
          idempotencyKey: null,
          opId: 'a',
          requestSeq: 3,
        },
      ],
    };
    expect([...effectsPerOp(l)]).toEqual([['a', 2]]);
    expect(admittedPerWindow(l, 1_000)).toEqual([1, 1]);
  });
});
