import { describe, expect, it } from 'vitest';
import type { LedgerEffect, LedgerRequest, LedgerSnapshot } from '../../../mock-server/core/types.js';
import { auditRun, type ClientOperationRecord } from './audit.js';

const KEY = 'k_test';
let seq = 0;

function request(
  at: number,
  opId: string | null,
  status = 200,
  extra: Partial<LedgerRequest> = {},
): LedgerRequest {
  return {
    seq: ++seq,
    at,
    method: 'POST',
    route: 'sendMessage',
    path: '/api/public/thread/t/messages',
    keyId: KEY,
    idempotencyKey: null,
    opId,
    status,
    fault: null,
    delayMs: 0,
    replayed: false,
    retryAfterUntil: null,
    resetAt: null,
    ...extra,
  };
}

function stored(opId: string, kind: LedgerEffect['kind'] = 'message_stored', keyId = KEY): LedgerEffect {
  return {
    seq: ++seq,
    at: 0,
    kind,
    keyId,
    threadId: 't',
    messageId: `m${seq}`,
    idempotencyKey: null,
    opId,
    requestSeq: null,
  };
}

const limited = (at: number, opId: string, until: number) =>
  request(at, opId, 429, { retryAfterUntil: until, resetAt: until - 500 });

function ledger(requests: LedgerRequest[], effects: LedgerEffect[] = [], dropped = 0): LedgerSnapshot {
  return { instanceId: 'mock-1', requests, effects, dropped, lastSeq: seq };
}

const send = (opId: string, ok = true): ClientOperationRecord => ({ opId, effect: 'message_stored', ok });

describe('auditRun', () => {
  it('passes a clean run and computes amplification and the rate-limited ratio', () => {
    const report = auditRun({
      ledger: ledger(
        [request(0, 'a'), limited(1, 'b', 2_000), request(2_000, 'b')],
        [stored('a'), stored('b')],
      ),
      keyId: KEY,
      operations: [send('a'), send('b')],
      operationCount: 2,
    });
    expect(report).toMatchObject({
      passed: true,
      complete: true,
      requests: 3,
      rateLimited: 1,
      retryAmplification: 1.5,
    });
    expect(report.rateLimitedRatio).toBeCloseTo(1 / 3);
  });

  it('finds duplicates, lost operations and failures that took effect', () => {
    const report = auditRun({
      ledger: ledger(
        [],
        [stored('dup'), stored('dup'), stored('failed'), stored('other-key', 'message_stored', 'k_other')],
      ),
      keyId: KEY,
      operations: [send('dup'), send('lost'), send('failed', false), send('other-key')],
      operationCount: 4,
    });
    expect(report.duplicates).toEqual({ count: 1, examples: ['dup'] });
    expect(report.lost).toEqual({ count: 2, examples: ['lost', 'other-key'] });
    expect(report.failedButApplied).toEqual({ count: 1, examples: ['failed'] });
    expect(report.passed).toBe(false);
  });

  it('counts a thread and its first message of one createSession as one effect each, not a duplicate', () => {
    const report = auditRun({
      ledger: ledger([], [stored('c', 'thread_created'), stored('c', 'message_stored')]),
      keyId: KEY,
      operations: [{ opId: 'c', effect: 'thread_created', ok: true }],
      operationCount: 1,
    });
    expect(report.duplicates.count).toBe(0);
  });

  it('flags an operation that retries before the Retry-After it was given, with no grace', () => {
    const report = auditRun({
      ledger: ledger([limited(1_000, 'x', 2_000), request(1_010, 'x')]),
      keyId: KEY,
      operations: [],
      operationCount: 1,
    });
    expect(report.retryAfterViolations.details).toEqual([
      { opId: 'x', atMs: 1_010, blockedUntilMs: 2_000, sameOperation: true },
    ]);
  });

  it('gives other operations the in-flight grace, then expects the whole key to pause', () => {
    const report = auditRun({
      ledger: ledger([
        limited(1_000, 'x', 3_000),
        request(1_050, 'y'),
        request(1_500, 'z'),
        request(3_000, 'w'),
      ]),
      keyId: KEY,
      operations: [],
      operationCount: 4,
      inFlightGraceMs: 100,
    });
    expect(report.retryAfterViolations.details.map((v) => v.opId)).toEqual(['z']);
  });

  it('falls back to the announced reset when the 429 had no Retry-After', () => {
    const report = auditRun({
      ledger: ledger([
        request(1_000, 'x', 429, { resetAt: 2_000 }),
        request(1_999, 'x'),
        request(2_000, 'x'),
      ]),
      keyId: KEY,
      operations: [],
      operationCount: 1,
    });
    expect(report.retryAfterViolations.count).toBe(1);
  });

  it('says the audit is incomplete when the ledger dropped entries', () => {
    expect(
      auditRun({ ledger: ledger([], [], 5), keyId: KEY, operations: [], operationCount: 0 }).complete,
    ).toBe(false);
  });
});
