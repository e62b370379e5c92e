import { ERROR_CODES, HarnessError } from './errors.js';
import { redactUrl } from './url.js';

/**
 * `fetch` for the harness's own requests (the ledger probe, the audit's ledger reads, the
 * provider-state admin calls): it never follows a redirect. `fetch` follows 3xx by default, and
 * a loopback server answering `302 Location: http://10.0.0.1/` would otherwise take the harness
 * off loopback (and make it trust that host's answers). A 3xx is a {@link RedirectRefusedError}
 * naming the Location instead.
 */

/**
 * Thrown for a response that redirects; code `NH_REDIRECT`. Its message names the request and
 * the Location (both without credentials).
 *
 * @example
 * catch (err) { if (isRedirectRefusedError(err)) console.error(err.message) }
 */
export class RedirectRefusedError extends HarnessError {
  /** The status of the redirect, e.g. 302. */
  readonly status: number;
  /** Its `Location` header (`''` if none), credentials removed. */
  readonly location: string;

  constructor(method: string, url: string, status: number, location: string) {
    const where = location === '' ? 'no Location' : `Location ${redactUrl(location)}`;
    super(
      ERROR_CODES.redirect,
      `Refused to follow a redirect: ${method} ${redactUrl(url)} answered ${status} with ${where}. ` +
        'The harness follows no redirect (it could lead off loopback); point it at the server that answers.',
    );
    this.status = status;
    this.location = redactUrl(location);
  }
}

/**
 * Type guard for {@link RedirectRefusedError} (code `NH_REDIRECT`), from any copy of the package.
 *
 * @example
 * catch (err) { if (isRedirectRefusedError(err)) console.error(`not followed: ${err.location}`); }
 */
export function isRedirectRefusedError(value: unknown): value is RedirectRefusedError {
  return HarnessError.is(value) && value.code === ERROR_CODES.redirect;
}

/**
 * `fetch(url, init)` with `redirect: 'manual'`; a 3xx answer throws {@link RedirectRefusedError}
 * (its body is discarded).
 *
 * @example
 * const res = await fetchNoRedirect(`${origin}/__admin/health`, { signal: AbortSignal.timeout(2_000) });
 */
export async function fetchNoRedirect(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => {});
    throw new RedirectRefusedError(init.method ?? 'GET', url, res.status, res.headers.get('location') ?? '');
  }
  return res;
}
