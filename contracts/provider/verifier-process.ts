import '../../harness/util/no-pact-telemetry.js';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Verifier } from '@pact-foundation/pact';
import { redactUrl } from '../../harness/util/url.js';
import { ADMIN_TOKEN_ENV } from '../../mock-server/core/admin-token.js';
import { PLACEHOLDER_API_KEY, PROVIDER } from '../nexus-api.js';
import { connectMockAdmin, type MockAdmin, mockStateHandlers, noStateHandlers } from './provider-states.js';
import { VERIFIER_PROCESS_FLAG, type VerifierJob, type VerifierOutcome } from './verifier-protocol.js';

/**
 * The process that runs Pact's `Verifier` for {@link verifyProvider}. Pact's native core writes
 * its account of each interaction (the provider's bodies included) straight to fd 1, where no
 * JavaScript can filter it; so it runs here, in a child whose stdout and stderr the parent
 * passes through the redactor. The parent sends one {@link VerifierJob} over IPC (never argv
 * or env, so the key shows in no process list) and gets one {@link VerifierOutcome} back.
 */

/**
 * Keeps the verifier from following a redirect: Pact's core follows 3xx (to any host), so a 3xx
 * passing back through pact-js's proxy loses its `Location` (the core then sees the 3xx as the
 * answer, and the interaction fails on it) and is recorded.
 */
function refuseRedirects(req: IncomingMessage, res: ServerResponse, seen: string[]): void {
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status >= 300 && status < 400) {
      let location = this.getHeader('location');
      this.removeHeader('location');
      const headers = rest.at(-1);
      if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() !== 'location') continue;
          location ??= (headers as OutgoingHttpHeaders)[name];
          delete (headers as OutgoingHttpHeaders)[name];
        }
      }
      const where = location === undefined ? 'no Location' : `Location ${redactUrl(String(location))}`;
      seen.push(
        `${req.method} ${(req as { originalUrl?: string }).originalUrl ?? req.url} → ${status} (${where})`,
      );
    }
    return writeHead.call(this, status, ...rest);
  } as ServerResponse['writeHead'];
}

/**
 * Runs one verification in this process. Used by the child entry below; callable directly in
 * a test that does not care about fd 1.
 *
 * @example
 * const outcome = await runVerifierJob({ providerBaseUrl, pactUrls, logLevel: 'warn', requestTimeoutMs: 10_000, apiKey, adminOrigin: null, adminToken: null });
 */
export async function runVerifierJob(job: VerifierJob): Promise<VerifierOutcome> {
  const redirects: string[] = [];
  const admin: MockAdmin | null =
    job.adminOrigin === null
      ? null
      : await connectMockAdmin(job.adminOrigin, { [ADMIN_TOKEN_ENV]: job.adminToken ?? undefined });
  const verifier = new Verifier({
    provider: PROVIDER,
    providerBaseUrl: job.providerBaseUrl,
    pactUrls: job.pactUrls,
    logLevel: job.logLevel,
    timeout: job.requestTimeoutMs,
    // The provider sees its own Host, not pact-js's proxy's (a mock guarding against DNS
    // rebinding refuses a Host with another port; a virtual host would route it elsewhere).
    changeOrigin: true,
    // The pact carries a placeholder key; the provider gets the real one. The 401 interaction's
    // deliberately invalid key is left as it is.
    requestFilter: (req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (req.headers['api-key'] === PLACEHOLDER_API_KEY) req.headers['api-key'] = job.apiKey;
      refuseRedirects(req, res, redirects);
      next();
    },
    stateHandlers: admin === null ? noStateHandlers() : mockStateHandlers(admin),
  } as ConstructorParameters<typeof Verifier>[0]);
  try {
    return { raw: String(await verifier.verifyProvider()), coreFailed: false, redirects };
  } catch (err) {
    return { raw: (err as Error)?.message ?? String(err), coreFailed: true, redirects };
  } finally {
    await admin?.restore().catch(() => {});
  }
}

// The child entry: `ready`, one job in over IPC, one outcome back, then exit (Pact may leave handles open).
if (process.argv[2] === VERIFIER_PROCESS_FLAG && process.send !== undefined) {
  process.once('message', (job: VerifierJob) => {
    runVerifierJob(job)
      .catch(
        (err: unknown): VerifierOutcome => ({
          raw: String((err as Error)?.message ?? err),
          coreFailed: true,
          redirects: [],
        }),
      )
      .then((outcome) => process.send!(outcome, () => process.exit(0)));
  });
  process.send('ready');
}
