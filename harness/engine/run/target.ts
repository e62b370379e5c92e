import { resolve } from 'node:path';
import { adminTokenHeaders } from '../../../mock-server/core/admin-token.js';
import type { MockConfig } from '../../../mock-server/core/config.js';
import { fingerprintKey } from '../../../mock-server/core/keys.js';
import type { LedgerSnapshot } from '../../../mock-server/core/types.js';
import { startMockServer } from '../../../mock-server/http/server.js';
import type { TargetKind } from '../../../scenarios/model/target.js';
import type { NexusClientOptions } from '../../client/options.js';
import { HarnessError } from '../../util/errors.js';
import { fetchNoRedirect } from '../../util/fetch-no-redirect.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { hasUrlCredentials, redactUrl } from '../../util/url.js';

/** The real service, and the quota every key has there (nexus-api.md). */
export const REAL_BASE_URL = 'https://api.nexusgpt.io/api/public';
export const REAL_QUOTA = {
  perMinute: { limit: 60, windowMs: 60_000 },
  perHour: { limit: 1_000, windowMs: 3_600_000 },
} as const;

/** Where a run sends its traffic, and how to read the ground truth back (when there is one). */
export interface OpenTarget {
  kind: TargetKind;
  /** Base URL of the public API. */
  baseUrl: string;
  apiKey: string;
  /** Client options the target imposes (transport under MSW, the real quota). */
  clientOptions: NexusClientOptions;
  /** Reads the ledger after `sinceSeq`; `null` when the target has none (no audit then). */
  readLedger: ((sinceSeq: number) => Promise<LedgerSnapshot>) | null;
  /** Fingerprint of `apiKey`, as the ledger names it. */
  keyId: string;
  /** A description for the result document; never contains the key. */
  describe(): { kind: TargetKind; baseUrl: string; audited: boolean };
  close(): Promise<void>;
}

/** Options of {@link openTarget}. */
export interface TargetOptions {
  kind: TargetKind;
  /** For `url` (and `pact`): the base URL. */
  url?: string;
  /** The scenario's mock configuration, for `mock` and `msw`. */
  mock: MockConfig;
  /** Allow a host that is not loopback (`url`), or the real API (`real`). */
  allowRemote?: boolean;
  /** For `pact` without `url`: the pact file to serve (default `NEXUS_PACT_FILE`, then the committed pact). */
  pactFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Thrown for a target the harness must not or cannot use; the CLI exits 2. */
export class TargetError extends HarnessError {
  constructor(message: string) {
    super('NH_USAGE', message);
  }
}

/** The loopback rule (it lives in `harness/util/loopback.ts`; re-exported for existing callers). */
export { isLoopbackHost };

/** Reads the ledger of a nexus-harness mock over its admin API; `null` if the URL is not one. */
async function adminLedgerReader(
  origin: string,
): Promise<((since: number) => Promise<LedgerSnapshot>) | null> {
  try {
    const health = await fetchNoRedirect(`${origin}/__admin/health`, {
      headers: adminTokenHeaders(process.env),
      signal: AbortSignal.timeout(2_000),
    });
    await health.body?.cancel();
    if (!health.ok) return null;
  } catch (err) {
    // A redirect is not "no mock here": the load would meet it too, so the run stops on it (exit 2).
    if (HarnessError.is(err) && err.code === 'NH_REDIRECT') throw new TargetError(err.message);
    return null;
  }
  return async (since) => {
    const res = await fetchNoRedirect(`${origin}/__admin/ledger?since=${since}`, {
      headers: adminTokenHeaders(process.env),
    });
    if (!res.ok) throw new HarnessError('NH_LEDGER', `Failed to read the mock's ledger: HTTP ${res.status}.`);
    return (await res.json()) as LedgerSnapshot;
  };
}

function target(
  kind: TargetKind,
  baseUrl: string,
  apiKey: string,
  clientOptions: NexusClientOptions,
  readLedger: OpenTarget['readLedger'],
  close: () => Promise<void>,
): OpenTarget {
  return {
    kind,
    baseUrl,
    apiKey,
    clientOptions,
    readLedger,
    keyId: fingerprintKey(apiKey),
    describe: () => ({ kind, baseUrl: redactUrl(baseUrl), audited: readLedger !== null }),
    close,
  };
}

/** `url`, and `pact` with `--url`: a loopback URL (or any, with `allowRemote`), audited if it is our mock. */
async function openUrlTarget(options: TargetOptions, env: NodeJS.ProcessEnv): Promise<OpenTarget> {
  if (options.url === undefined) throw new TargetError(`Target ${options.kind} needs a URL: pass --url.`);
  if (hasUrlCredentials(options.url)) {
    // Refused, not sent as Basic auth: the API authenticates with the api-key header, and a
    // password in a URL leaks through shell history, process lists and CI logs.
    throw new TargetError(
      `Refusing --url ${redactUrl(options.url)} with credentials (user:password@) in it: the harness sends ` +
        'none in URLs. Remove them; the API key goes in NEXUS_API_KEY.',
    );
  }
  const url = new URL(options.url);
  if (!isLoopbackHost(url.hostname) && !options.allowRemote) {
    throw new TargetError(
      `Refusing to send load to ${url.host}: it is not a loopback address. ` +
        'Pass --allow-remote if you mean it (and have the right to load that host).',
    );
  }
  const apiKey = env.NEXUS_API_KEY ?? options.mock.apiKeys[0]!;
  const ledger = await adminLedgerReader(url.origin);
  return target(options.kind, options.url.replace(/\/+$/, ''), apiKey, {}, ledger, async () => {});
}

/**
 * `pact` without `--url`: a Pact mock server serving the contract's interactions (the pact file
 * `--pact-file`, else `NEXUS_PACT_FILE`, default `contracts/pacts/nexus-harness-client-nexus-api.json` under the
 * working directory). The client sends the pact's placeholder key, never `NEXUS_API_KEY`, and runs
 * without its own request budgets (the contract states no limits). Limits
 * of this target (no provider states, example answers, no rate limits or faults, no ledger and
 * so no audit) are documented in `contracts/pact-target/serve-pact.ts` and the README. Requests
 * outside the contract get Pact's 500 and are listed on stderr when the run ends.
 */
async function openPactTarget(env: NodeJS.ProcessEnv, pactFile: string | undefined): Promise<OpenTarget> {
  const { servePact } = await import('../../../contracts/pact-target/serve-pact.js');
  const { DEFAULT_PACT_DIR, PACT_FILE_NAME, PLACEHOLDER_API_KEY } = await import(
    '../../../contracts/nexus-api.js'
  );
  const file = pactFile ?? env.NEXUS_PACT_FILE ?? resolve(DEFAULT_PACT_DIR, PACT_FILE_NAME);
  const pact = await servePact(file);
  // No client budgets: the contract states no limits, and the real quota would only slow the check.
  return target('pact', pact.url, PLACEHOLDER_API_KEY, { rateLimit: false }, null, async () => {
    const uncovered = await pact.close();
    if (uncovered.length > 0) {
      const distinct = [...new Set(uncovered)];
      process.stderr.write(
        `Pact target: ${uncovered.length} request(s) outside the contract (${file}), answered 500:\n` +
          distinct
            .slice(0, 20)
            .map((r) => `  ${r}\n`)
            .join('') +
          (distinct.length > 20 ? `  ... and ${distinct.length - 20} more distinct\n` : ''),
      );
    }
  });
}

/**
 * Opens a run's target: starts the local mock (`mock`), installs MSW handlers (`msw`), or
 * checks a URL (`url`, `real`). Load goes to loopback only unless `allowRemote` is set; the
 * real API also needs `NEXUS_API_KEY` and gets the real quota enforced in the client.
 *
 * @example
 * const t = await openTarget({ kind: 'mock', mock: scenario.mock });
 * try { ... } finally { await t.close(); }
 */
export async function openTarget(options: TargetOptions): Promise<OpenTarget> {
  const env = options.env ?? process.env;
  switch (options.kind) {
    case 'mock': {
      const server = await startMockServer({ config: options.mock });
      const sim = server.simulator;
      return target(
        'mock',
        server.url,
        options.mock.apiKeys[0]!,
        {},
        async (since) => sim.ledger(since),
        server.close,
      );
    }
    case 'msw': {
      const { setupServer } = await import('msw/node');
      const { createMswMock } = await import('../../../mock-server/msw/index.js');
      const mock = createMswMock(options.mock);
      const server = setupServer(...mock.handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return target(
        'msw',
        mock.url,
        options.mock.apiKeys[0]!,
        { transport: 'fetch' },
        async (since) => mock.admin.ledger(since),
        async () => server.close(),
      );
    }
    case 'pact': {
      // With --url: an already running Pact mock server, used like any URL (below).
      if (options.url === undefined) return openPactTarget(env, options.pactFile);
      return openUrlTarget(options, env);
    }
    case 'url':
      return openUrlTarget(options, env);
    case 'real': {
      const apiKey = env.NEXUS_API_KEY;
      if (!apiKey) throw new TargetError('Target real needs the NEXUS_API_KEY environment variable.');
      if (!options.allowRemote) {
        throw new TargetError(
          'Refusing to send load to the real Nexus API without --allow-remote. It runs with the real quota ' +
            '(60 requests per minute, 1,000 per hour) enforced in the client.',
        );
      }
      return target('real', REAL_BASE_URL, apiKey, { rateLimit: { ...REAL_QUOTA } }, null, async () => {});
    }
  }
}
