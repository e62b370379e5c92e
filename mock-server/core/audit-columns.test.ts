import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditedLedgerColumns, auditedColumns, auditedRows } from './audit-columns.js';
import type { AuditedLedgerRequest } from './types.js';

const request: fc.Arbitrary<AuditedLedgerRequest> = fc.record({
  seq: fc.nat(),
  at: fc.double({ min: 0, max: 4e12, noNaN: true }),
  keyId: fc.option(fc.string(), { nil: null }),
  opId: fc.option(fc.string(), { nil: null }),
  status: fc.integer({ min: 100, max: 599 }),
  retryAfterUntil: fc.option(fc.nat(), { nil: null }),
  resetAt: fc.option(fc.nat(), { nil: null }),
});

describe('audit columns', () => {
  it('read back, through JSON, to the very requests they were made of', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 40 }), (requests) => {
        const wire = JSON.parse(JSON.stringify(auditedColumns(requests))) as AuditedLedgerColumns;
        expect(auditedRows(wire)).toEqual(requests);
      }),
    );
  });

  it('refuse columns that are missing or of another length, naming the field', () => {
    const columns = auditedColumns([
      { seq: 1, at: 5, keyId: 'k', opId: 'o', status: 200, retryAfterUntil: null, resetAt: null },
    ]);
    expect(() => auditedRows({ ...columns, opId: [] })).toThrow(
      /opId is 0 long, expected an array as long as seq \(1\)/,
    );
    const { status: _status, ...withoutStatus } = columns;
    expect(() => auditedRows(withoutStatus as AuditedLedgerColumns)).toThrow(/status is undefined/);
  });
});
