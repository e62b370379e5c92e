import type { AppSettings } from '../../scenarios/model/app-settings.js';
import type { AppTargetReport, OpenTarget, Target } from '../engine/run/target.js';
import { UsageError } from '../util/errors.js';
import { isLoopbackHost } from '../util/loopback.js';
import { requestNoRedirect } from '../util/request-no-redirect.js';
import { hasUrlCredentials, redactUrl } from '../util/url.js';
import { chatRequestsOf } from './app-metrics.js';
import { mockTarget } from './mock.js';

/** Options of {@link appTarget}. */
export interface AppTargetOptions {
  /**
   * A chat app already running (its base URL, e.g. `http://127.0.0.1:3000`): the load goes
   * there and the harness starts nothing. Its upstream is the app's business: there is no
   * audit (the harness knows no ledger behind it), and the scenario's `app` and `mock` blocks
   * are not applied. Default: the harness starts the mock and the app.
   */
  appUrl?: string;
  /** Allow an `appUrl` whose host is not loopback. Default false. */
  allowRemote?: boolean;
}

/** How long reading the app's `/metrics` at the end may take, ms. */
const METRICS_TIMEOUT_MS = 1_500;

/**
 * The chat app (`harness/app/`) as the target: by default the harness starts its own mock (as
 * the `mock` target does, with the scenario's `mock` block) and the app on a free loopback port
 * in front of it (with the scenario's `app` block: per-user limits, key grace), and stops both
 * after the run. The workload's `chat` op posts to the app (`appUrl`); any other op of the mix
 * still goes to the mock directly. Audited against the mock's ledger: the app forwards each
 * chat's op id (`x-harness-op`) to its Nexus calls. At the end of the load the app's own
 * `/metrics` is read, and the result's `target.app.chatRequests` says what it counted (POST
 * /chat by status). The app (fastify) is loaded only when this target opens.
 *
 * @example
 * const result = await runScenario(BUILTIN_SCENARIOS['chat-app'], { target: appTarget() });
 * result.target.app.chatRequests; // { '200': 240 }
 */
export function appTarget(options: AppTargetOptions = {}): Target {
  return {
    kind: 'app',
    async open({ mock, app, env }) {
      if (options.appUrl !== undefined) return openRunningApp(options.appUrl, options.allowRemote ?? false);
      const upstream = await mockTarget().open({ mock, env });
      try {
        const running = await startApp(upstream, mock.limits === false, app ?? {});
        return withApp({ ...upstream, kind: 'app' }, running.url, true, async () => {
          // The app first (it finishes what it carries to the mock), the mock whatever happens.
          try {
            await running.close();
          } finally {
            await upstream.close();
          }
        });
      } catch (err) {
        await upstream.close();
        throw err;
      }
    },
  };
}

/** Starts the chat app in front of `upstream` on a free loopback port. */
async function startApp(
  upstream: OpenTarget,
  unlimited: boolean,
  settings: AppSettings,
): Promise<{ url: string; close(): Promise<void> }> {
  const { startChatApp } = await import('../app/index.js');
  return startChatApp({
    nexusUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    host: '127.0.0.1',
    port: 0,
    limits: settings.limits,
    keyGraceMs: settings.keyGraceMs,
    // Quiet: the run's output is the harness's. The app's failures show in its answers (5xx).
    logger: false,
    // A mock without limits needs no budget; one with limits announces them (X-RateLimit-*, 429s).
    clientOptions: { rateLimit: unlimited ? false : { perMinute: false, perHour: false } },
  });
}

/** An app someone else runs: checked like `--url` (no credentials, no query, loopback unless allowed). */
function openRunningApp(appUrl: string, allowRemote: boolean): OpenTarget {
  if (hasUrlCredentials(appUrl)) {
    throw new UsageError(
      `Refusing --app-url ${redactUrl(appUrl)} with credentials (user:password@) in it. Remove them.`,
    );
  }
  const url = new URL(appUrl);
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `Refusing --app-url ${url.origin}${url.pathname} with a query or fragment: give the app's base URL only.`,
    );
  }
  if (!isLoopbackHost(url.hostname) && !allowRemote) {
    throw new UsageError(
      `Refusing to send load to ${url.host}: it is not a loopback address. ` +
        'Pass --allow-remote if you mean it (and have the right to load that host).',
    );
  }
  const base = appUrl.replace(/\/+$/, '');
  const target: OpenTarget = {
    kind: 'app',
    // Ops other than chat would go here and find no Nexus API: the chat op is what this target is for.
    baseUrl: base,
    apiKey: 'unused-by-the-chat-op',
    clientOptions: { rateLimit: false },
    budgets: { from: 'server' },
    readLedger: null,
    ledgerMayRestart: false,
    usesScenarioMock: false,
    unlimited: false,
    keyId: '',
    describe: () => ({ kind: 'app', baseUrl: redactUrl(base), audited: false }),
    close: async () => {},
  };
  return withApp(target, base, false, async () => {});
}

/** `target` with the app's URL, its `/metrics` read at the end of the load, and `close`. */
function withApp(
  target: OpenTarget,
  appUrl: string,
  started: boolean,
  close: () => Promise<void>,
): OpenTarget {
  const report: AppTargetReport = { url: redactUrl(appUrl), started, chatRequests: null };
  const { describe } = target;
  return {
    ...target,
    appUrl,
    async loadEnded() {
      report.chatRequests = await readChatRequests(appUrl);
    },
    describe: () => ({ ...describe(), kind: 'app', app: { ...report } }),
    close,
  };
}

/** The app's count of POST /chat by status, from its `/metrics`; `null` when it cannot be read. */
async function readChatRequests(appUrl: string): Promise<Record<string, number> | null> {
  try {
    const res = await requestNoRedirect(`${appUrl}/metrics`, {
      signal: AbortSignal.timeout(METRICS_TIMEOUT_MS),
    });
    return res.ok ? chatRequestsOf(res.text) : null;
  } catch {
    return null;
  }
}
