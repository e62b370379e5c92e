import { adminTokenHeaders } from '../../mock-server/core/admin-token.js';
import { requestNoRedirect } from '../util/request-no-redirect.js';

/** How long the question may take, ms: an unanswered one means "limits unknown". */
const CONFIG_TIMEOUT_MS = 2_000;

/**
 * Whether the nexus-harness mock at `origin` enforces no request limits (its admin
 * `GET /__admin/config` says `limits: false`). Any failure to tell is `false`: a target whose
 * limits are unknown is treated as one that has them.
 *
 * @example
 * await adminLimitsOff('http://127.0.0.1:4010', process.env); // true for `mock --no-limits-enabled`
 */
export async function adminLimitsOff(origin: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const res = await requestNoRedirect(`${origin}/__admin/config`, {
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    });
    if (!res.ok) return false;
    const config = res.json() as { limits?: unknown } | null;
    return config?.limits === false;
  } catch {
    return false;
  }
}
