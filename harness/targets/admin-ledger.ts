import { adminTokenHeaders } from '../../mock-server/core/admin-token.js';
import type { LedgerSnapshot } from '../../mock-server/core/types.js';
import { ERROR_CODES, HarnessError, UsageError } from '../util/errors.js';
import { fetchNoRedirect } from '../util/fetch-no-redirect.js';

/** How long the probe for a mock's admin API may take, ms. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Reads the ledger of a nexus-harness mock over its admin API (`/__admin/ledger?since=SEQ`),
 * or `null` when `origin` is not one (no admin health answer). The admin token comes from
 * `NEXUS_MOCK_ADMIN_TOKEN` when the mock has one.
 *
 * @example
 * const read = await adminLedgerReader('http://127.0.0.1:4010');
 * const snapshot = read ? await read(0) : null;
 */
export async function adminLedgerReader(
  origin: string,
  env: NodeJS.ProcessEnv,
): Promise<((since: number) => Promise<LedgerSnapshot>) | null> {
  try {
    const health = await fetchNoRedirect(`${origin}/__admin/health`, {
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await health.body?.cancel();
    if (!health.ok) return null;
  } catch (err) {
    // A redirect is not "no mock here": the load would meet it too, so the run stops on it (exit 2).
    if (HarnessError.is(err) && err.code === ERROR_CODES.redirect) throw new UsageError(err.message);
    return null;
  }
  return async (since) => {
    const res = await fetchNoRedirect(`${origin}/__admin/ledger?since=${since}`, {
      headers: adminTokenHeaders(env),
    });
    if (!res.ok) {
      throw new HarnessError(ERROR_CODES.ledger, `Failed to read the mock's ledger: HTTP ${res.status}.`);
    }
    return (await res.json()) as LedgerSnapshot;
  };
}
