import type { AuditedLedgerRequest } from './types.js';

/**
 * The audited fields of a page's requests as columns (`GET /__admin/ledger?fields=audit-columns`):
 * one array per field, entry `i` of each belonging to request `i`. A run reads every request
 * the mock recorded while it runs; without a key per field per request the page is half the
 * bytes, and parsing arrays of numbers costs a fraction of parsing as many small objects
 * (measured: about 140 against 300–500 ns a request), on the mock's side (stringify) as on the
 * harness's.
 */
export type AuditedLedgerColumns = {
  [K in keyof AuditedLedgerRequest]: AuditedLedgerRequest[K][];
};

const FIELDS = ['seq', 'at', 'keyId', 'opId', 'status', 'retryAfterUntil', 'resetAt'] as const;

/**
 * The requests' audited fields as columns.
 *
 * @example
 * auditedColumns([{ seq: 1, at: 5, keyId: 'k', opId: null, status: 200, retryAfterUntil: null, resetAt: null }]);
 * // { seq: [1], at: [5], keyId: ['k'], opId: [null], status: [200], retryAfterUntil: [null], resetAt: [null] }
 */
export function auditedColumns(requests: readonly AuditedLedgerRequest[]): AuditedLedgerColumns {
  const n = requests.length;
  const columns: AuditedLedgerColumns = {
    seq: new Array(n),
    at: new Array(n),
    keyId: new Array(n),
    opId: new Array(n),
    status: new Array(n),
    retryAfterUntil: new Array(n),
    resetAt: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = requests[i]!;
    columns.seq[i] = r.seq;
    columns.at[i] = r.at;
    columns.keyId[i] = r.keyId;
    columns.opId[i] = r.opId;
    columns.status[i] = r.status;
    columns.retryAfterUntil[i] = r.retryAfterUntil;
    columns.resetAt[i] = r.resetAt;
  }
  return columns;
}

/**
 * The requests back from their columns. Throws a `TypeError` naming the field when the columns
 * are not arrays of one length (a page that was cut or is not of this format).
 *
 * @example
 * auditedRows(auditedColumns(page.requests)); // the same requests, field for field
 */
export function auditedRows(columns: AuditedLedgerColumns): AuditedLedgerRequest[] {
  const n = Array.isArray(columns.seq) ? columns.seq.length : -1;
  for (const field of FIELDS) {
    const column: unknown = columns[field];
    if (!Array.isArray(column) || column.length !== n) {
      throw new TypeError(
        `ledger columns: ${field} is ${Array.isArray(column) ? `${column.length} long` : typeof column}, expected an array as long as seq (${n})`,
      );
    }
  }
  const { seq, at, keyId, opId, status, retryAfterUntil, resetAt } = columns;
  const rows: AuditedLedgerRequest[] = new Array(n);
  // Every column is n long (checked above): index i is within each.
  for (let i = 0; i < n; i++) {
    rows[i] = {
      seq: seq[i] as number,
      at: at[i] as number,
      keyId: keyId[i] as string | null,
      opId: opId[i] as string | null,
      status: status[i] as number,
      retryAfterUntil: retryAfterUntil[i] as number | null,
      resetAt: resetAt[i] as number | null,
    };
  }
  return rows;
}
