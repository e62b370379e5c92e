import '../../harness/util/no-pact-telemetry.js';
import assert from 'node:assert/strict';
import { MatchersV3 as M, type PactV4 } from '@pact-foundation/pact';
import { createNexusClient, type NexusClient } from '../../harness/client/client.js';
import { isNexusApiError, isRateLimitedError } from '../../harness/client/errors.js';
import type { NexusClientOptions } from '../../harness/client/options.js';
import {
  API_BASE_PATH,
  EXAMPLE_RESET_SEC,
  INVALID_API_KEY,
  PLACEHOLDER_API_KEY,
  RETRY_AFTER_SEC,
  SEEDED_MESSAGES,
  STATES,
  THREAD_IDS,
} from '../nexus-api.js';

/**
 * The consumer side of the Nexus API contract: one case per endpoint and outcome the client
 * relies on (nexus-api.md). Each case declares its interaction with Pact matchers (shapes and
 * patterns, not the example values) and then drives the **real client** through the Pact mock
 * server, asserting what the client makes of the answer. Assertions use `node:assert`, so the
 * same cases run under vitest and under `nexus-harness contracts test`.
 */

/** A fresh interaction of a V4 pact (the package exports the type only under its `src/` path). */
type V4UnconfiguredInteraction = ReturnType<PactV4['addInteraction']>;
/** An interaction with its request and response declared, ready to execute. */
type V4InteractionWithResponse = ReturnType<
  ReturnType<V4UnconfiguredInteraction['withRequest']>['willRespondWith']
>;

/** One interaction of the contract and the client call that exercises it. */
export interface ConsumerCase {
  /** The interaction's description; verification failures name it. */
  readonly description: string;
  /** Declares the interaction's state, request and response (the runner sets the description). */
  define(interaction: V4UnconfiguredInteraction): V4InteractionWithResponse;
  /** Drives the client against the Pact mock server at `baseUrl`; throws if the client misbehaves. */
  exercise(baseUrl: string): Promise<void>;
}

/** ISO-8601 date-time with optional fraction and a zone (what `toISOString()` and most servers send). */
const ISO_8601 = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$';
const EXAMPLE_TIME = '2026-01-01T12:00:00.000Z';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** The clock of the Retry-After case, so the reset time it expects is exact. */
const FIXED_NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

const isoTime = (example = EXAMPLE_TIME) => M.regex(ISO_8601, example);
const threadPath = (id: string) =>
  M.regex(`^${API_BASE_PATH}/thread/[^/]+$`, `${API_BASE_PATH}/thread/${id}`);
const messagesPath = (id: string) =>
  M.regex(`^${API_BASE_PATH}/thread/[^/]+/messages$`, `${API_BASE_PATH}/thread/${id}/messages`);
/** The key header: any non-blank key; the pact records the placeholder. */
const keyHeader = (key = PLACEHOLDER_API_KEY) => ({ 'api-key': M.regex('^\\S+$', key) });
const digits = (example: string) => M.regex('^\\d+$', example);

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

/** The error body of every 4xx: the status and its reason phrase exactly, any message. */
function errorBody(status: number, message: string) {
  return { statusCode: M.equal(status), message: M.string(message), error: M.equal(REASONS[status]!) };
}

/** One message of the list, its type pinned (order is part of what the list interactions check). */
function message(m: (typeof SEEDED_MESSAGES)[number]) {
  return {
    id: M.string(m.id),
    type: M.equal(m.type),
    content: M.string(m.content),
    createdAt: isoTime(),
  };
}

/**
 * The client as the contract tests use it: the placeholder key, no client-side budgets, no
 * retries (each case is one request), no 429 retried.
 */
function contractClient(baseUrl: string, overrides: NexusClientOptions = {}): NexusClient {
  return createNexusClient({
    baseUrl,
    apiKey: PLACEHOLDER_API_KEY,
    rateLimit: { perMinute: false, perHour: false, clockMarginMs: 0 },
    retry: { maxAttempts: 1, maxRateLimitedAttempts: 1, budget: false },
    ...overrides,
  });
}

async function withClient<T>(
  baseUrl: string,
  fn: (client: NexusClient) => Promise<T>,
  overrides?: NexusClientOptions,
): Promise<T> {
  const client = contractClient(baseUrl, overrides);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Runs `call`, which must fail with a `NexusApiError` of `status`. */
async function expectApiError(call: Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(isNexusApiError(err), `expected a NexusApiError, got ${String(err)}`);
    assert.equal(err.status, status);
    assert.equal((err.body as { statusCode?: unknown }).statusCode, status);
    return true;
  });
}

const [m1, m2, m3, m4] = SEEDED_MESSAGES as [
  (typeof SEEDED_MESSAGES)[number],
  (typeof SEEDED_MESSAGES)[number],
  (typeof SEEDED_MESSAGES)[number],
  (typeof SEEDED_MESSAGES)[number],
];
const withMessages = { id: THREAD_IDS.withMessages, messages: SEEDED_MESSAGES.map((m) => ({ ...m })) };

/** A list interaction: `query` as the client sends it, the page the seeded thread gives. */
function listCase(
  description: string,
  query: { limit: number; order?: 'asc' | 'desc'; after?: string; before?: string },
  page: (typeof SEEDED_MESSAGES)[number][],
): ConsumerCase {
  const q: Record<string, ReturnType<typeof M.regex>> = { limit: digits(String(query.limit)) };
  if (query.order !== undefined) q.order = M.regex('^(asc|desc)$', query.order);
  if (query.after !== undefined) q.after = M.regex('^\\S+$', query.after);
  if (query.before !== undefined) q.before = M.regex('^\\S+$', query.before);
  return {
    description,
    define: (i) =>
      i
        .given(STATES.threadWithMessages, withMessages)
        .withRequest('GET', messagesPath(THREAD_IDS.withMessages), (b) => {
          b.query(q).headers(keyHeader());
        })
        .willRespondWith(200, (b) => {
          b.jsonBody(page.map(message));
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        const got = await client.listMessages(THREAD_IDS.withMessages, query);
        assert.deepEqual(
          got.map((m) => [m.id, m.type]),
          page.map((m) => [m.id, m.type]),
        );
        for (const m of got) assert.match(m.createdAt, new RegExp(ISO_8601));
      }),
  };
}

/**
 * Every interaction of the contract, in the order the pact file lists them.
 *
 * @example
 * for (const c of CONSUMER_CASES) await c.define(pact.addInteraction()).executeTest((s) => c.exercise(`${s.url}/api/public`));
 */
export const CONSUMER_CASES: readonly ConsumerCase[] = [
  {
    description: 'a request to create a thread without a first message',
    define: (i) =>
      i
        .given(STATES.start)
        .withRequest('POST', `${API_BASE_PATH}/thread`, (b) => {
          b.headers(keyHeader()).jsonBody({});
        })
        .willRespondWith(200, (b) => {
          b.jsonBody({ id: M.regex(UUID, THREAD_IDS.active), createdAt: isoTime() });
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        const created = await client.createSession();
        assert.match(created.id, new RegExp(UUID));
        assert.match(created.createdAt, new RegExp(ISO_8601));
      }),
  },
  {
    description: 'a request to create a thread with a first message',
    define: (i) =>
      i
        .given(STATES.start)
        .withRequest('POST', `${API_BASE_PATH}/thread`, (b) => {
          b.headers(keyHeader()).jsonBody({ message: M.string('What is 2+2?') });
        })
        .willRespondWith(200, (b) => {
          b.jsonBody({ id: M.regex(UUID, THREAD_IDS.active), createdAt: isoTime() });
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        const created = await client.createSession('What is 2+2?');
        assert.match(created.id, new RegExp(UUID));
      }),
  },
  {
    description: 'a request to get an ACTIVE thread',
    define: (i) =>
      i
        .given(STATES.activeThread, { id: THREAD_IDS.active })
        .withRequest('GET', threadPath(THREAD_IDS.active), (b) => {
          b.headers(keyHeader());
        })
        .willRespondWith(200, (b) => {
          b.jsonBody({
            id: M.string(THREAD_IDS.active),
            topic: M.string('What is 2+2?'),
            status: M.equal('ACTIVE'),
            createdAt: isoTime(),
            lastMessageAt: isoTime(),
            messageCount: M.integer(1),
            metadata: M.like({}),
          });
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        const session = await client.getSession(THREAD_IDS.active);
        assert.equal(session.status, 'ACTIVE');
        assert.equal(typeof session.messageCount, 'number');
        assert.equal(typeof session.metadata, 'object');
      }),
  },
  {
    description: 'a request to get an EXPIRED thread',
    define: (i) =>
      i
        .given(STATES.expiredThread, { id: THREAD_IDS.expired })
        .withRequest('GET', threadPath(THREAD_IDS.expired), (b) => {
          b.headers(keyHeader());
        })
        .willRespondWith(200, (b) => {
          b.jsonBody({
            id: M.string(THREAD_IDS.expired),
            topic: M.nullValue(),
            status: M.equal('EXPIRED'),
            createdAt: isoTime(),
            lastMessageAt: M.nullValue(),
            messageCount: M.integer(0),
            metadata: M.like({}),
          });
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        const session = await client.getSession(THREAD_IDS.expired);
        assert.equal(session.status, 'EXPIRED');
        assert.equal(session.topic, null);
        assert.equal(session.lastMessageAt, null);
      }),
  },
  {
    description: 'a request to send a message to an ACTIVE thread',
    define: (i) =>
      i
        .given(STATES.activeThread, { id: THREAD_IDS.active })
        .withRequest('POST', messagesPath(THREAD_IDS.active), (b) => {
          b.headers(keyHeader()).jsonBody({ content: M.string('What is 3+3?') });
        })
        .willRespondWith(200, (b) => {
          b.jsonBody({ success: M.equal(true) });
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        assert.deepEqual(await client.sendMessage(THREAD_IDS.active, 'What is 3+3?'), { success: true });
      }),
  },
  {
    description: 'a request to send a message longer than 4000 characters',
    define: (i) =>
      i
        .given(STATES.activeThread, { id: THREAD_IDS.active })
        .withRequest('POST', messagesPath(THREAD_IDS.active), (b) => {
          b.headers(keyHeader()).jsonBody({ content: M.regex('^[\\s\\S]{4001,}$', 'x'.repeat(4_001)) });
        })
        .willRespondWith(400, (b) => {
          b.jsonBody(errorBody(400, 'content must be 1-4000 characters'));
        }),
    // The client refuses over-long content itself; lift its check so the server is the judge.
    exercise: (baseUrl) =>
      withClient(
        baseUrl,
        (client) => expectApiError(client.sendMessage(THREAD_IDS.active, 'x'.repeat(4_001)), 400),
        { maxMessageLength: 10_000 },
      ),
  },
  {
    description: 'a request to send a message to a thread that does not exist',
    define: (i) =>
      i
        .given(STATES.noThread, { id: THREAD_IDS.missing })
        .withRequest('POST', messagesPath(THREAD_IDS.missing), (b) => {
          b.headers(keyHeader()).jsonBody({ content: M.string('Hello?') });
        })
        .willRespondWith(404, (b) => {
          b.jsonBody(errorBody(404, `Thread ${THREAD_IDS.missing} not found`));
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, (client) => expectApiError(client.sendMessage(THREAD_IDS.missing, 'Hello?'), 404)),
  },
  {
    description: 'a request to send a message to a thread that is not ACTIVE',
    define: (i) =>
      i
        .given(STATES.closedThread, { id: THREAD_IDS.closed })
        .withRequest('POST', messagesPath(THREAD_IDS.closed), (b) => {
          b.headers(keyHeader()).jsonBody({ content: M.string('Hello again') });
        })
        .willRespondWith(409, (b) => {
          b.jsonBody(errorBody(409, `Thread ${THREAD_IDS.closed} is CLOSED`));
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, (client) =>
        expectApiError(client.sendMessage(THREAD_IDS.closed, 'Hello again'), 409),
      ),
  },
  listCase('a request to list the first page of messages (limit)', { limit: 2 }, [m1, m2]),
  listCase('a request to list messages newest first (limit, order=desc)', { limit: 2, order: 'desc' }, [
    m4,
    m3,
  ]),
  listCase('a request to poll for messages after a cursor (limit, after)', { limit: 2, after: m1.id }, [
    m2,
    m3,
  ]),
  listCase(
    'a request to list messages after a cursor, oldest first (limit, order=asc, after)',
    { limit: 2, order: 'asc', after: m2.id },
    [m3, m4],
  ),
  listCase('a request to list messages before a cursor (limit, before)', { limit: 2, before: m3.id }, [
    m1,
    m2,
  ]),
  {
    description: 'a request with an invalid API key',
    define: (i) =>
      i
        .given(STATES.start)
        .withRequest('POST', `${API_BASE_PATH}/thread`, (b) => {
          b.headers(keyHeader(INVALID_API_KEY)).jsonBody({});
        })
        .willRespondWith(401, (b) => {
          b.jsonBody(errorBody(401, 'Invalid API key'));
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, (client) => expectApiError(client.createSession(), 401), {
        apiKey: INVALID_API_KEY,
      }),
  },
  {
    description: 'a request while the API key is rate-limited (X-RateLimit-* headers)',
    define: (i) =>
      i
        .given(STATES.rateLimited)
        .withRequest('POST', `${API_BASE_PATH}/thread`, (b) => {
          b.headers(keyHeader()).jsonBody({});
        })
        .willRespondWith(429, (b) => {
          b.headers({
            'X-RateLimit-Limit': digits('60'),
            'X-RateLimit-Remaining': M.equal('0'),
            'X-RateLimit-Reset': digits(String(EXAMPLE_RESET_SEC)),
          }).jsonBody(errorBody(429, 'Rate limit exceeded'));
        }),
    exercise: (baseUrl) =>
      withClient(baseUrl, async (client) => {
        await assert.rejects(client.createSession(), (err: unknown) => {
          assert.ok(isRateLimitedError(err), `expected a RateLimitedError, got ${String(err)}`);
          assert.equal(err.status, 429);
          // X-RateLimit-Reset is Unix seconds: the client must turn it into the reset time.
          assert.equal(err.resetAtMs, EXAMPLE_RESET_SEC * 1_000);
          return true;
        });
      }),
  },
  {
    description: 'a request while the API key is rate-limited (Retry-After header)',
    define: (i) =>
      i
        .given(STATES.rateLimitedRetryAfter, { retryAfterSec: RETRY_AFTER_SEC })
        .withRequest('GET', threadPath(THREAD_IDS.active), (b) => {
          b.headers(keyHeader());
        })
        .willRespondWith(429, (b) => {
          b.headers({
            'Retry-After': digits(String(RETRY_AFTER_SEC)),
            'X-RateLimit-Limit': digits('60'),
            'X-RateLimit-Remaining': M.equal('0'),
            'X-RateLimit-Reset': digits(String(EXAMPLE_RESET_SEC)),
          }).jsonBody(errorBody(429, 'Rate limit exceeded'));
        }),
    exercise: (baseUrl) =>
      withClient(
        baseUrl,
        async (client) => {
          await assert.rejects(client.getSession(THREAD_IDS.active), (err: unknown) => {
            assert.ok(isRateLimitedError(err), `expected a RateLimitedError, got ${String(err)}`);
            assert.equal(err.status, 429);
            // Retry-After wins over X-RateLimit-Reset: the key may send again 30 s after the answer.
            assert.equal(err.resetAtMs, FIXED_NOW_MS + RETRY_AFTER_SEC * 1_000);
            return true;
          });
        },
        { now: () => FIXED_NOW_MS },
      ),
  },
];
