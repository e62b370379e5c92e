/**
 * The names and fixed examples the Nexus API contract shares between its consumer side
 * (the tests that write the pact), its provider side (verification and provider states) and
 * the `--target pact` server. Nothing here does I/O.
 */

/** The consumer's name in the pact: the harness's Nexus client. */
export const CONSUMER = 'nexus-harness-client';
/** The provider's name in the pact: the Nexus public API. */
export const PROVIDER = 'nexus-api';
/**
 * The pact file the consumer tests write, inside the pact directory.
 *
 * @example
 * join('contracts/pacts', PACT_FILE_NAME) // contracts/pacts/nexus-harness-client-nexus-api.json
 */
export const PACT_FILE_NAME = `${CONSUMER}-${PROVIDER}.json`;
/**
 * Where `contracts test` writes the pact, relative to the working directory (in a clone of
 * nexus-harness, the committed pact's folder).
 */
export const DEFAULT_PACT_DIR = 'contracts/pacts';
/**
 * Where the pact that ships with the package lives, relative to the package's root (see
 * `packageRoot()`): what `contracts verify` and `--target pact` read by default, wherever the
 * working directory is.
 */
export const PACKAGED_PACT_DIR = 'contracts/pacts';
/** Where the API lives on every provider (the real one: `https://api.nexusgpt.io/api/public`). */
export const API_BASE_PATH = '/api/public';

/**
 * The API key the pact records. It is a placeholder, never a real key: verification swaps it
 * for the provider's key on the way out (see `verify-provider.ts`), and a test checks that no
 * other key value reaches the pact file.
 */
export const PLACEHOLDER_API_KEY = 'pact-placeholder-api-key';
/** The key the 401 interaction sends; no provider accepts it, and verification leaves it alone. */
export const INVALID_API_KEY = 'pact-invalid-api-key';

/** Thread ids the interactions use; provider states create threads under exactly these ids. */
export const THREAD_IDS = {
  active: '6f1c2b9e-4d3a-4c5b-9e8f-1a2b3c4d5e6f',
  expired: '7a2d3c0f-5e4b-4d6c-8f90-2b3c4d5e6f70',
  closed: '8b3e4d1a-6f5c-4e7d-9a01-3c4d5e6f7081',
  missing: '9c4f5e2b-7a6d-4f8e-8b12-4d5e6f708192',
  withMessages: 'ad5a6f3c-8b7e-4a9f-9c23-5e6f708192a3',
} as const;

/** One message a provider state seeds. */
export interface SeedMessage {
  id: string;
  type: 'user' | 'assistant';
  content: string;
}

/**
 * The messages of the thread {@link THREAD_IDS.withMessages}, oldest first: two turns of a
 * conversation. The list interactions page through them with `limit`, `order`, `after` and
 * `before`.
 */
export const SEEDED_MESSAGES: readonly SeedMessage[] = [
  { id: 'b1e2c3d4-0000-4000-8000-000000000001', type: 'user', content: 'What is 2+2?' },
  { id: 'b1e2c3d4-0000-4000-8000-000000000002', type: 'assistant', content: '2 + 2 = 4' },
  { id: 'b1e2c3d4-0000-4000-8000-000000000003', type: 'user', content: 'And 3+3?' },
  { id: 'b1e2c3d4-0000-4000-8000-000000000004', type: 'assistant', content: '3 + 3 = 6' },
];

/** `Retry-After` (seconds) the Retry-After 429 state asks for, and the example the pact records. */
export const RETRY_AFTER_SEC = 30;
/** Example `X-RateLimit-Reset` (Unix seconds, 2100-01-01) the X-RateLimit-* 429 records. */
export const EXAMPLE_RESET_SEC = 4_102_444_800;

/**
 * The provider states of the contract, by the name the pact records. Each needs either the
 * nexus-harness mock's admin API (see `provider-states.ts`) or a provider already in that
 * state; a provider that is neither fails those interactions.
 */
export const STATES = {
  /** Nothing in particular: the provider is up and the (placeholder) key is valid. */
  start: 'the provider is up',
  /** Params `{ id }`: an ACTIVE thread with that id, owned by the key. */
  activeThread: 'an ACTIVE thread exists',
  /** Params `{ id }`: a thread with that id, inactive for longer than the session TTL. */
  expiredThread: 'an EXPIRED thread exists',
  /** Params `{ id }`: a CLOSED thread with that id. */
  closedThread: 'a CLOSED thread exists',
  /** Params `{ id }`: no thread with that id. */
  noThread: 'no thread with the id exists',
  /** Params `{ id, messages }`: an ACTIVE thread with those messages (oldest first). */
  threadWithMessages: 'a thread with messages exists',
  /** The key is over its request limit; 429s carry `X-RateLimit-*` and no `Retry-After`. */
  rateLimited: 'the API key is rate-limited (X-RateLimit-* only)',
  /** Params `{ retryAfterSec }`: the key is over its limit; 429s carry `Retry-After` too. */
  rateLimitedRetryAfter: 'the API key is rate-limited (with Retry-After)',
} as const;
