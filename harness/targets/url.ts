import type { TargetKind } from '../../scenarios/model/target.js';
import type { OpenTarget, Target } from '../engine/run/target.js';
import { UsageError } from '../util/errors.js';
import { isLoopbackHost } from '../util/loopback.js';
import { hasUrlCredentials, redactUrl } from '../util/url.js';
import { adminLimitsOff } from './admin-config.js';
import { adminLedgerCompactor, adminLedgerReader } from './admin-ledger.js';
import { openedTarget } from './opened.js';
import { isRealApiUrl, REAL_QUOTA } from './real.js';

/** Options of {@link urlTarget}. */
export interface UrlTargetOptions {
  /** Base URL of the public API, e.g. `http://127.0.0.1:4010/api/public`. */
  url: string;
  /** Allow a host that is not loopback. Default false: load goes to loopback only. */
  allowRemote?: boolean;
}

/**
 * Checks a target URL and opens it: refused with credentials in it (the API key goes in a
 * header) and, unless `allowRemote`, for a host that is not loopback. Audited when the URL is a
 * nexus-harness mock (its admin API answers); the client follows the server's
 * `X-RateLimit-*` and `Retry-After` instead of budgets of its own, except on the real API
 * (`isRealApiUrl`), where the real quota is the client's budget as with target real.
 */
export async function openUrl(
  kind: TargetKind,
  options: UrlTargetOptions,
  env: NodeJS.ProcessEnv,
  fallbackKey: string,
): Promise<OpenTarget> {
  if (hasUrlCredentials(options.url)) {
    // Refused, not sent as Basic auth: the API authenticates with the api-key header, and a
    // password in a URL leaks through shell history, process lists and CI logs.
    throw new UsageError(
      `Refusing --url ${redactUrl(options.url)} with credentials (user:password@) in it: the harness sends ` +
        'none in URLs. Remove them; the API key goes in NEXUS_API_KEY.',
    );
  }
  const url = new URL(options.url);
  if (url.search !== '' || url.hash !== '') {
    // Not echoed: a query is where people put keys (`?api_key=…`). The client adds paths to the
    // base URL; a query would ride along on every request and into the result.
    throw new UsageError(
      `Refusing the URL ${url.origin}${url.pathname} with a query or fragment: give the API's base URL only (the key goes in NEXUS_API_KEY).`,
    );
  }
  if (!isLoopbackHost(url.hostname) && !options.allowRemote) {
    throw new UsageError(
      `Refusing to send load to ${url.host}: it is not a loopback address. ` +
        'Pass --allow-remote if you mean it (and have the right to load that host).',
    );
  }
  if (isRealApiUrl(options.url)) {
    // The real API by its URL: its quota in the client, as target real has it, and no probe of
    // an admin API it does not have (no request the scenario did not ask for).
    return openedTarget({
      kind,
      baseUrl: options.url.replace(/\/+$/, ''),
      apiKey: env.NEXUS_API_KEY ?? fallbackKey,
      budgets: { from: 'quota', perMinute: { ...REAL_QUOTA.perMinute }, perHour: { ...REAL_QUOTA.perHour } },
      readLedger: null,
      close: async () => {},
    });
  }
  const readLedger = await adminLedgerReader(url.origin, env);
  return openedTarget({
    kind,
    baseUrl: options.url.replace(/\/+$/, ''),
    apiKey: env.NEXUS_API_KEY ?? fallbackKey,
    budgets: { from: 'server' },
    readLedger,
    // A mock in another process may have other readers (a second run, a person at the admin
    // API): the run's compaction releases entries for them too. The price of a flat ledger;
    // their reads show it (`compactedThrough`), so their audits count a gap, not lost operations.
    compactLedger: readLedger === null ? undefined : adminLedgerCompactor(url.origin, env),
    ledgerMayRestart: true,
    unlimited: readLedger === null ? false : await adminLimitsOff(url.origin, env),
    close: async () => {},
  });
}

/**
 * Any base URL: a mock in another process, a staging deployment, a Pact mock server already
 * running. The key is `NEXUS_API_KEY`, else the mock's demo key.
 *
 * @example
 * await runScenario(steady, { target: urlTarget({ url: 'http://127.0.0.1:4010/api/public' }) });
 */
export function urlTarget(options: UrlTargetOptions): Target {
  return {
    kind: 'url',
    open: ({ mock, env }) => openUrl('url', options, env, mock.apiKeys[0]!),
  };
}
