import type { VerifierOptions } from '@pact-foundation/pact';
import { ERROR_CODES, HarnessError } from '../../harness/util/errors.js';
import { requestNoRedirect } from '../../harness/util/request-no-redirect.js';
import { adminTokenHeaders } from '../../mock-server/core/admin-token.js';
import { type SeedMessage, STATES } from '../nexus-api.js';

/**
 * Provider states of the Nexus API contract, set on a nexus-harness mock through its admin
 * API (`/__admin/...`). Before every interaction the mock is reset to the configuration it had
 * when verification began, minus its fault rules, so interactions never see each other's
 * threads, windows or faults; the state then seeds what the interaction needs. After
 * verification, {@link MockAdmin.restore} puts the original configuration back (state is
 * cleared either way: verify against a mock nobody else is using).
 *
 * A provider without this admin API cannot be put into these states; see `verify-provider.ts`.
 */

type Json = Record<string, unknown>;
/** Pact's state handler map (exported by the package only under its `src/` path). */
export type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;

/** A nexus-harness mock's admin API, as provider states use it. */
export interface MockAdmin {
  /** The first API key the mock accepts (the one verification sends). Never printed. */
  readonly apiKey: string;
  /** Resets the mock: the original configuration, no faults, then `overrides`. */
  reset(overrides?: Json): Promise<void>;
  /** Seeds one thread (`POST /__admin/threads`), owned by {@link apiKey}. */
  seedThread(spec: Json): Promise<void>;
  /** Puts the configuration back as it was before verification (state is cleared). */
  restore(): Promise<void>;
}

/**
 * Thrown when the admin API refuses a state; Pact reports it against the interaction.
 *
 * @example
 * throw new ProviderStateError('Failed to set a provider state: params.id is missing.');
 */
export class ProviderStateError extends HarnessError {
  constructor(message: string) {
    super(ERROR_CODES.contractState, message);
  }
}

/**
 * Where the harness's admin clients find the mock's admin token: `NEXUS_MOCK_ADMIN_TOKEN` in
 * this environment (see `adminTokenHeaders`).
 */
export type AdminEnv = Readonly<Record<string, string | undefined>>;

/**
 * True when `origin` answers `GET /__admin/health` like a nexus-harness mock. The admin token,
 * if the mock needs one, is read from `env` (default `process.env`).
 *
 * @example
 * if (await isHarnessMock('http://127.0.0.1:4010')) console.log('provider states via the admin API');
 */
export async function isHarnessMock(
  origin: string,
  timeoutMs = 2_000,
  env: AdminEnv = process.env,
): Promise<boolean> {
  try {
    const res = await requestNoRedirect(`${origin}/__admin/health`, {
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = res.json() as { status?: unknown } | null;
    return res.ok && body?.status === 'ok';
  } catch {
    return false;
  }
}

/**
 * Connects to a nexus-harness mock's admin API and reads its configuration (the baseline every
 * state resets to). The admin token, if the mock needs one, is read from `env` (default
 * `process.env`).
 *
 * @example
 * const admin = await connectMockAdmin('http://127.0.0.1:4010', { NEXUS_MOCK_ADMIN_TOKEN: token });
 * const handlers = mockStateHandlers(admin);
 */
export async function connectMockAdmin(origin: string, env: AdminEnv = process.env): Promise<MockAdmin> {
  const tokenHeaders = adminTokenHeaders(env);
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await requestNoRedirect(`${origin}/__admin${path}`, {
      method,
      headers: {
        ...tokenHeaders,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = res.text;
    if (!res.ok) {
      throw new ProviderStateError(
        `Failed to set a provider state: ${method} /__admin${path} answered ${res.status}: ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text);
  }
  const baseline = (await call('GET', '/config')) as Json & { apiKeys?: string[] };
  const apiKey = baseline.apiKeys?.[0];
  if (apiKey === undefined)
    throw new ProviderStateError('Failed to read the mock configuration: no apiKeys.');
  return {
    apiKey,
    async reset(overrides = {}) {
      await call('POST', '/reset', { ...baseline, faults: [], ...overrides });
    },
    async seedThread(spec) {
      await call('POST', '/threads', { apiKey, ...spec });
    },
    async restore() {
      await call('POST', '/reset', baseline);
    },
  };
}

function idOf(params: unknown): string {
  const id = (params as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string')
    throw new ProviderStateError('Failed to set a provider state: params.id is missing.');
  return id;
}

/**
 * The state handlers of every state in {@link STATES}, for Pact's `Verifier`, backed by a mock's
 * admin API. Each resets the mock first.
 *
 * @example
 * new Verifier({ providerBaseUrl, pactUrls, stateHandlers: mockStateHandlers(await connectMockAdmin(origin)) });
 */
export function mockStateHandlers(admin: MockAdmin): StateHandlers {
  const state =
    (setUp: (params: unknown) => Promise<void>) =>
    async (params?: unknown): Promise<undefined> => {
      await setUp(params);
      return undefined;
    };
  const seeded = (spec: (params: unknown) => Json) =>
    state(async (params) => {
      await admin.reset();
      await admin.seedThread(spec(params));
    });
  return {
    [STATES.start]: state(() => admin.reset()),
    // The ACTIVE interaction expects a topic and a last message, so the state has both.
    [STATES.activeThread]: seeded((params) => ({
      id: idOf(params),
      status: 'ACTIVE',
      topic: 'What is 2+2?',
      messages: [{ type: 'user', content: 'What is 2+2?' }],
    })),
    [STATES.expiredThread]: seeded((params) => ({ id: idOf(params), status: 'EXPIRED' })),
    [STATES.closedThread]: seeded((params) => ({ id: idOf(params), status: 'CLOSED' })),
    [STATES.noThread]: state(() => admin.reset()),
    [STATES.threadWithMessages]: seeded((params) => ({
      id: idOf(params),
      status: 'ACTIVE',
      messages: (params as { messages?: SeedMessage[] } | undefined)?.messages ?? [],
    })),
    [STATES.rateLimited]: state(() =>
      admin.reset({ retryAfterHeader: false, faults: [{ type: 'rate-limit', retryAfterSec: 30 }] }),
    ),
    [STATES.rateLimitedRetryAfter]: state((params) => {
      const asked = (params as { retryAfterSec?: unknown } | undefined)?.retryAfterSec;
      const retryAfterSec = typeof asked === 'number' ? asked : 30;
      return admin.reset({ retryAfterHeader: true, faults: [{ type: 'rate-limit', retryAfterSec }] });
    }),
  };
}

/**
 * Handlers that set nothing, for a provider without the admin API: every state is accepted
 * silently (so Pact does not warn per interaction), and interactions whose state the provider
 * is not already in fail verification.
 *
 * @example
 * new Verifier({ ..., stateHandlers: noStateHandlers() });
 */
export function noStateHandlers(): StateHandlers {
  return Object.fromEntries(Object.values(STATES).map((name) => [name, async () => undefined]));
}
