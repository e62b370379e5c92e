import '../../harness/util/no-pact-telemetry.js';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../harness/util/errors.js';
import { isLoopbackHost } from '../../harness/util/loopback.js';
import { packageRoot } from '../../harness/util/package-root.js';
import { createRedactor, secretsFromEnv } from '../../harness/util/redact.js';
import { hasUrlCredentials, redactUrl } from '../../harness/util/url.js';
import { ADMIN_TOKEN_ENV } from '../../mock-server/core/admin-token.js';
import { fingerprintKey, isFingerprint } from '../../mock-server/core/keys.js';
import { API_BASE_PATH, PACKAGED_PACT_DIR, PROVIDER, STATES } from '../nexus-api.js';
import { connectMockAdmin, isHarnessMock, type MockAdmin } from './provider-states.js';
import { runVerifierProcess } from './run-verifier-process.js';
import { parseCoreResult, type VerificationReport } from './verification-report.js';

/** How provider states are set: `auto` uses the admin API when the provider is a loopback nexus-harness mock. */
export type StatesMode = 'auto' | 'admin' | 'none';

/** Options of {@link verifyProvider}. */
export interface VerifyProviderOptions {
  /** The provider's base URL, e.g. `http://127.0.0.1:4010/api/public` (its origin works too). */
  providerUrl: string;
  /** Folder of pact files; every `*.json` pact whose provider is `nexus-api` is verified. Default `contracts/pacts`. */
  pactDir?: string;
  /** How provider states are set. Default `auto`. */
  states?: StatesMode;
  /**
   * Environment: `NEXUS_API_KEY` is the key sent in place of the pact's placeholder (required
   * unless the provider is a nexus-harness mock, whose own key is used); `NEXUS_MOCK_ADMIN_TOKEN`
   * is the mock's admin token, when it was started with one (sent to the admin API for the
   * provider states). Default `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** Pact's log level. Default `warn` (higher levels print request headers: keep it off for real keys). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Timeout of each request to the provider, ms. Default 10_000. */
  requestTimeoutMs?: number;
  /** Timeout of the whole verification (its child process is killed then), ms. Default 300_000. */
  processTimeoutMs?: number;
  /** Where Pact's own account goes, redacted. Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** Where Pact's warnings go, redacted. Default `process.stderr`. */
  stderr?: NodeJS.WritableStream;
}

/**
 * The provider's root: the base URL without its trailing `/api/public` (the pact's paths carry
 * it). Throws {@link UsageError} for anything but an http(s) URL.
 *
 * @example
 * providerRoot('http://127.0.0.1:4010/api/public').href // 'http://127.0.0.1:4010/'
 * providerRoot('https://gw.example/nexus/api/public').href // 'https://gw.example/nexus'
 */
export function providerRoot(providerUrl: string): URL {
  if (!URL.canParse(providerUrl)) {
    throw new UsageError(
      `--provider-url ${JSON.stringify(redactUrl(providerUrl))} is not a URL (e.g. http://127.0.0.1:4010/api/public).`,
    );
  }
  if (hasUrlCredentials(providerUrl)) {
    throw new UsageError(
      `Refusing --provider-url ${redactUrl(providerUrl)} with credentials (user:password@) in it: remove them; ` +
        'the API key goes in NEXUS_API_KEY.',
    );
  }
  const url = new URL(providerUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--provider-url must be http or https, got ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(API_BASE_PATH) ? path.slice(0, -API_BASE_PATH.length) || '/' : path || '/';
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * The pact files in `dir` whose provider is the Nexus API (other JSON files are ignored).
 * Throws {@link UsageError} when there is none.
 *
 * @example
 * await findPactFiles('contracts/pacts') // ['/…/contracts/pacts/nexus-harness-client-nexus-api.json']
 */
export async function findPactFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UsageError(
      `No pact directory ${dir}. Run 'nexus-harness contracts test' first, or pass --pact-dir.`,
    );
  }
  const files: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = resolve(dir, name);
    try {
      const pact = JSON.parse(await readFile(file, 'utf8')) as { provider?: { name?: string } };
      if (pact.provider?.name === PROVIDER) files.push(file);
    } catch {
      // Not a pact: ignore it.
    }
  }
  if (files.length === 0) {
    throw new UsageError(
      `No pact for provider ${PROVIDER} in ${dir}. Run 'nexus-harness contracts test' first, or pass --pact-dir.`,
    );
  }
  return files;
}

/** Interactions whose provider state is more than "the provider is up", by description. */
async function interactionsNeedingStates(files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const pact = JSON.parse(await readFile(file, 'utf8')) as {
      interactions?: { description?: string; providerStates?: { name?: string }[] }[];
    };
    for (const i of pact.interactions ?? []) {
      if ((i.providerStates ?? []).some((s) => s.name !== STATES.start)) out.push(i.description ?? '?');
    }
  }
  return out;
}

/**
 * The key to send to a nexus-harness mock: the one its admin API shows, unless it shows only a
 * fingerprint (every key but the public demo key); then `NEXUS_API_KEY`, which must be that key.
 */
function mockKey(admin: MockAdmin, env: NodeJS.ProcessEnv, origin: string): string {
  if (!isFingerprint(admin.apiKey)) return admin.apiKey;
  const given = env.NEXUS_API_KEY;
  if (given === undefined || given === '') {
    throw new UsageError(
      `The mock at ${origin} shows its API key only as its fingerprint ${admin.apiKey}: set NEXUS_API_KEY to ` +
        "that key. It is sent in place of the pact's placeholder key and never printed.",
    );
  }
  if (fingerprintKey(given) !== admin.apiKey) {
    throw new UsageError(
      `NEXUS_API_KEY (fingerprint ${fingerprintKey(given)}) is not the key the mock at ${origin} accepts first ` +
        `(fingerprint ${admin.apiKey}). Set NEXUS_API_KEY to that key.`,
    );
  }
  return given;
}

/**
 * Verifies a provider against the Nexus API pacts with Pact's `Verifier`: every interaction is
 * replayed against `providerUrl` after its provider state is set, and the answer is matched
 * against the pact. The pact's placeholder API key is swapped for the real one in Pact's proxy,
 * on the way out. Pact runs in a child process (`verifier-process.ts`) whose output, which quotes
 * the provider's answers, is passed to `stdout`/`stderr` through the redactor: no key, token or
 * URL password reaches it, nor this report. A redirect from the provider is not followed (the
 * interaction fails on the 3xx, and a note names the Location).
 *
 * Provider states: on a loopback nexus-harness mock they are set through its admin API (the
 * mock is reset before each interaction, and its configuration restored at the end). Anywhere
 * else they cannot be set, and interactions that need a seeded thread or a rate-limited key pass
 * only if the provider happens to be in that state; the report says so.
 *
 * @example
 * const report = await verifyProvider({ providerUrl: mock.url, pactDir: 'contracts/pacts' });
 * if (!report.passed) console.log(formatVerificationReport(report));
 */
export async function verifyProvider(options: VerifyProviderOptions): Promise<VerificationReport> {
  const env = options.env ?? process.env;
  const root = providerRoot(options.providerUrl);
  const files = await findPactFiles(options.pactDir ?? join(packageRoot(), PACKAGED_PACT_DIR));
  const mode = options.states ?? 'auto';
  const loopbackMock = isLoopbackHost(root.hostname) && (await isHarnessMock(root.origin, undefined, env));
  if (mode === 'admin' && !loopbackMock) {
    throw new UsageError(
      `--states admin needs a nexus-harness mock on a loopback address; ${root.origin} is not one ` +
        '(no /__admin/health). Use --states none, or start one with: nexus-harness mock.',
    );
  }
  const admin: MockAdmin | null =
    mode !== 'none' && loopbackMock ? await connectMockAdmin(root.origin, env) : null;
  const apiKey = admin === null ? env.NEXUS_API_KEY : mockKey(admin, env, root.origin);
  if (apiKey === undefined || apiKey === '') {
    throw new UsageError(
      `No API key for ${root.origin}: set NEXUS_API_KEY to the provider's key. It is sent in place of the ` +
        "pact's placeholder key and never printed.",
    );
  }
  const notes: string[] = [];
  if (admin === null) {
    const needing = await interactionsNeedingStates(files);
    notes.push(
      `provider states cannot be set on ${root.origin} (${loopbackMock ? 'states turned off' : 'it is not a loopback nexus-harness mock with an admin API'}). ` +
        `${needing.length} interaction(s) need a thread with a known id or a rate-limited key and pass only if the ` +
        `provider is already in that state: ${needing.map((d) => `"${d}"`).join(', ')}.`,
    );
  }

  const redactor = createRedactor([apiKey, ...secretsFromEnv(env), ...secretsFromEnv(process.env)]);
  const outcome = await runVerifierProcess(
    {
      providerBaseUrl: root.href.replace(/\/$/, ''),
      pactUrls: files,
      logLevel: options.logLevel ?? 'warn',
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      apiKey,
      adminOrigin: admin === null ? null : root.origin,
      adminToken: admin === null ? null : env[ADMIN_TOKEN_ENV] || null,
    },
    {
      redactor,
      stdout: options.stdout ?? process.stdout,
      stderr: options.stderr ?? process.stderr,
      timeoutMs: options.processTimeoutMs ?? 300_000,
      loopback: isLoopbackHost(root.hostname),
    },
  ).finally(() => admin?.restore().catch(() => {}));
  const { raw, coreFailed } = outcome;
  if (outcome.redirects.length > 0) {
    notes.push(
      `the provider answered ${outcome.redirects.length} request(s) with a redirect, which verification does not follow ` +
        `(it could lead off loopback): ${outcome.redirects.slice(0, 5).map(redactor.redact).join('; ')}` +
        (outcome.redirects.length > 5 ? `; and ${outcome.redirects.length - 5} more` : '') +
        '.',
    );
  }
  const interactions = parseCoreResult(redactor.redact(raw), apiKey);
  if (interactions === null) {
    return {
      passed: false,
      providerUrl: redactUrl(options.providerUrl),
      states: admin === null ? 'none' : 'admin',
      interactions: [],
      notes: [...notes, `Pact could not verify: ${redactor.redact(raw).slice(0, 500)}`],
    };
  }
  const passed = !coreFailed && interactions.length > 0 && interactions.every((v) => v.ok);
  return {
    passed,
    providerUrl: redactUrl(options.providerUrl),
    states: admin === null ? 'none' : 'admin',
    interactions,
    notes,
  };
}
