import { adminTokenHeaders } from '../../mock-server/core/admin-token.js';
import { type AuditedLedgerColumns, auditedRows } from '../../mock-server/core/audit-columns.js';
import type { AuditLedgerPage } from '../../mock-server/core/types.js';
import { ERROR_CODES, HarnessError, UsageError } from '../util/errors.js';
import { requestNoRedirect } from '../util/request-no-redirect.js';

/** How long the probe for a mock's admin API may take, ms. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Reads the ledger of a nexus-harness mock over its admin API
 * (`/__admin/ledger?since=SEQ&fields=audit-columns`: only what the audit reads of each request,
 * as one array per field), or `null` when `origin` is not one (no admin health answer). A mock
 * that refuses `audit-columns` (400: one from before it) is asked for `fields=audit` from then
 * on; one too old to know `fields` sends whole entries, which the audit reads alike. The admin
 * token comes from `NEXUS_MOCK_ADMIN_TOKEN` when the mock has one.
 *
 * @example
 * const read = await adminLedgerReader('http://127.0.0.1:4010');
 * const snapshot = read ? await read(0) : null;
 */
export async function adminLedgerReader(
  origin: string,
  env: NodeJS.ProcessEnv,
): Promise<((since: number) => Promise<AuditLedgerPage>) | null> {
  try {
    const health = await requestNoRedirect(`${origin}/__admin/health`, {
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!health.ok) return null;
  } catch (err) {
    // A redirect is not "no mock here": the load would meet it too, so the run stops on it (exit 2).
    if (HarnessError.is(err) && err.code === ERROR_CODES.redirect) throw new UsageError(err.message);
    return null;
  }
  let fields = 'audit-columns';
  const read = (since: number) =>
    requestNoRedirect(`${origin}/__admin/ledger?since=${since}&fields=${fields}`, {
      headers: adminTokenHeaders(env),
    });
  return async (since) => {
    let res = await read(since);
    if (res.status === 400 && fields === 'audit-columns') {
      fields = 'audit';
      res = await read(since);
    }
    if (!res.ok) {
      throw new HarnessError(ERROR_CODES.ledger, `Failed to read the mock's ledger: HTTP ${res.status}.`);
    }
    const page = res.json() as Omit<AuditLedgerPage, 'requests'> & {
      requests: AuditLedgerPage['requests'] | AuditedLedgerColumns;
    };
    if (Array.isArray(page.requests)) return page as AuditLedgerPage;
    try {
      return { ...page, requests: auditedRows(page.requests) };
    } catch (err) {
      throw new HarnessError(
        ERROR_CODES.ledger,
        `Failed to read the mock's ledger: ${(err as Error).message}.`,
      );
    }
  };
}

/** Bound on one compaction call, ms: it is a courtesy to the mock, never worth a wait. */
const COMPACT_TIMEOUT_MS = 3_000;

/**
 * Compacts the ledger of a nexus-harness mock over its admin API
 * (`POST /__admin/ledger/compact?through=SEQ&instance=ID`): entries up to that seq are
 * released on the mock, for every reader, if the mock is still the instance `instanceId` names
 * (the one the page was read from). One that restarted since answers 409 and releases nothing:
 * the call rejects, saying so. A mock too old to know the route answers 404: compaction is then
 * skipped for good (its ledger simply keeps everything, as it always did); one too old to know
 * `instance` ignores it. Any other failure rejects, naming the status.
 *
 * @example
 * const compact = adminLedgerCompactor('http://127.0.0.1:4010', process.env);
 * await compact(page.lastSeq, page.instanceId);
 */
export function adminLedgerCompactor(
  origin: string,
  env: NodeJS.ProcessEnv,
): (throughSeq: number, instanceId: string) => Promise<void> {
  let unsupported = false;
  return async (through, instanceId) => {
    if (unsupported) return;
    const query = `through=${through}&instance=${encodeURIComponent(instanceId)}`;
    const res = await requestNoRedirect(`${origin}/__admin/ledger/compact?${query}`, {
      method: 'POST',
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(COMPACT_TIMEOUT_MS),
    });
    if (res.status === 404) {
      unsupported = true;
      return;
    }
    if (res.status === 409) {
      throw new HarnessError(
        ERROR_CODES.ledger,
        "Failed to compact the mock's ledger: the mock restarted since that page was read (HTTP 409). Nothing was released; the run reads on.",
      );
    }
    if (!res.ok) {
      throw new HarnessError(
        ERROR_CODES.ledger,
        `Failed to compact the mock's ledger: HTTP ${res.status}. The run reads on; the mock keeps the entries.`,
      );
    }
  };
}
