import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../../harness/util/loopback.js';
import { tokensEqual } from '../../harness/util/token-compare.js';
import { isAdminPath } from '../core/admin.js';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER } from '../core/admin-token.js';

const HEALTH_PATH = '/__admin/health';

/** How the HTTP face screens requests before the simulator sees them. */
export interface GuardPolicy {
  /** The port the server listens on: a `Host` or `Origin` naming another port is refused. */
  port: number;
  /**
   * Bound to loopback: only requests addressed to a loopback name (`Host`) are served. False
   * when bound elsewhere on purpose; the admin token then guards the admin API.
   */
  loopbackOnly: boolean;
  /** Required on every admin request when set (header {@link ADMIN_TOKEN_HEADER}). */
  adminToken?: string;
}

/** A refusal: the status and message of the JSON error body to answer with. */
export interface Refusal {
  status: 401 | 403;
  message: string;
}

/** Splits a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`); `null` when it is not one. */
function parseAuthority(value: string): { hostname: string; port: number | undefined } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/@]+)(?::(\d{1,5}))?$/.exec(value);
  if (match === null) return null;
  return { hostname: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/**
 * True when `authority` is a loopback name with this server's port; a missing port counts as
 * `portIfNone` (a `Host` without one is accepted; an `Origin` without one means port 80).
 */
function isOwnLoopbackAuthority(authority: string, port: number, portIfNone: number): boolean {
  const parsed = parseAuthority(authority);
  return parsed !== null && isLoopbackHost(parsed.hostname) && (parsed.port ?? portIfNone) === port;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** At most this many accepted `Host` values are remembered per policy (see {@link isServedHost}). */
const MAX_REMEMBERED_HOSTS = 16;
const servedHosts = new WeakMap<GuardPolicy, Set<string>>();

/**
 * {@link isOwnLoopbackAuthority} for a request's `Host`, remembered: a keep-alive client sends the
 * same value on every request, and parsing it (a regex, the loopback check) was about a
 * microsecond of each. Only accepted values are kept, and at most {@link MAX_REMEMBERED_HOSTS}
 * per policy, so no client can make the set grow; a refused value is checked every time.
 */
function isServedHost(host: string, policy: GuardPolicy): boolean {
  let served = servedHosts.get(policy);
  if (served?.has(host)) return true;
  if (!isOwnLoopbackAuthority(host, policy.port, policy.port)) return false;
  if (served === undefined) {
    served = new Set();
    servedHosts.set(policy, served);
  }
  if (served.size < MAX_REMEMBERED_HOSTS) served.add(host);
  return true;
}

/**
 * Screens one request; returns `null` to serve it, or the refusal to answer with.
 *
 * - **Host** (every route, when bound to loopback): a loopback name with this port or none.
 *   This applies to the public routes too, as the guard against DNS rebinding: a page on
 *   `attacker.example` whose name is made to resolve to 127.0.0.1 sends `Host: attacker.example`,
 *   and could otherwise drive the public API with the public demo key and pollute the ledger
 *   an audit trusts. Every legitimate client of a loopback mock addresses it by a loopback name.
 *   A request without `Host` (HTTP/1.0) is not a browser's and passes.
 * - **Cross-origin browsers** (admin routes): an `Origin` other than the server's own, or a
 *   `Sec-Fetch-Site` other than `same-origin`/`none`, is refused, so a page the user visits cannot
 *   reset the mock with a "simple" `text/plain` POST. The public routes need an `api-key` header,
 *   which a browser only sends cross-origin after a CORS preflight the mock never grants.
 * - **Admin token** (admin routes but `GET /__admin/health`, when configured): header
 *   {@link ADMIN_TOKEN_HEADER} must carry it (401 otherwise).
 *
 * @example
 * guardRequest('/__admin/reset', { host: 'attacker.example' }, { port: 4010, loopbackOnly: true });
 * // { status: 403, message: 'Refused: Host "attacker.example" is not …' }
 */
export function guardRequest(
  path: string,
  headers: IncomingHttpHeaders,
  policy: GuardPolicy,
): Refusal | null {
  const isAdmin = isAdminPath(path);
  const host = headers.host;
  if (policy.loopbackOnly && host !== undefined && !isServedHost(host, policy)) {
    return {
      status: 403,
      message:
        `Refused: Host "${host.slice(0, 100)}" is not a loopback name of this mock (localhost, 127.0.0.1, [::1], port ${policy.port} or none). ` +
        'It serves only requests addressed to loopback (a guard against DNS rebinding); to serve other names, bind another interface with --host and --allow-remote-bind.',
    };
  }
  if (!isAdmin) return null;
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return {
      status: 403,
      message: `Refused: a cross-site browser request (Sec-Fetch-Site: ${site.slice(0, 40)}) may not use the admin API.`,
    };
  }
  const origin = first(headers.origin);
  if (origin !== undefined && !isOwnOrigin(origin, host, policy)) {
    return {
      status: 403,
      message: `Refused: a cross-origin request (Origin: ${origin.slice(0, 100)}) may not use the admin API.`,
    };
  }
  // Health stays open (it tells nothing but "a mock, up since this instance id"), so a client
  // can find the mock and then be told plainly that the rest needs the token.
  if (policy.adminToken !== undefined && path !== HEALTH_PATH) {
    const given = first(headers[ADMIN_TOKEN_HEADER]);
    if (given === undefined || !tokensEqual(given, policy.adminToken)) {
      return {
        status: 401,
        message: `${given === undefined ? 'Missing' : 'Wrong'} admin token: this mock's admin API needs header ${ADMIN_TOKEN_HEADER} with the token it was started with (--admin-token, or ${ADMIN_TOKEN_ENV}).`,
      };
    }
  }
  return null;
}

/** The server's own origin: `http://` and its own authority (a loopback one, when bound to loopback). */
function isOwnOrigin(origin: string, host: string | undefined, policy: GuardPolicy): boolean {
  if (!origin.startsWith('http://')) return false;
  const authority = origin.slice('http://'.length);
  if (policy.loopbackOnly) return isOwnLoopbackAuthority(authority, policy.port, 80);
  return host !== undefined && authority.toLowerCase() === host.toLowerCase();
}
