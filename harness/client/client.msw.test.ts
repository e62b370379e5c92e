import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNexusClient, type NexusClient } from './client.js';
import { isNetworkError } from './errors.js';
import type { NexusClientOptions } from './options.js';

/**
 * The client under MSW, unchanged: MSW patches `globalThis.fetch` after the client module
 * was loaded, so the `auto` transport takes the fetch path and MSW answers every request.
 */

const BASE = 'http://nexus.test/api/public';
const server = setupServer();
const seen: { method: string; idempotencyKey: string | null }[] = [];
let clients: NexusClient[] = [];

function client(options: NexusClientOptions = {}): NexusClient {
  const c = createNexusClient({
    apiKey: 'msw-key',
    baseUrl: BASE,
    rateLimit: false,
    retry: { budget: false, backoff: { baseMs: 1, capMs: 5 } },
    ...options,
  });
  clients.push(c);
  return c;
}

/** Answers with each of `answers` in turn, then 200. */
function sequence(answers: (() => Response)[], ok: () => Response) {
  let n = 0;
  return ({ request }: { request: Request }) => {
    seen.push({ method: request.method, idempotencyKey: request.headers.get('idempotency-key') });
    const answer = answers[n++];
    return answer ? answer() : ok();
  };
}

const thread = () =>
  HttpResponse.json({
    id: 't1',
    topic: null,
    status: 'ACTIVE',
    createdAt: '2030-01-01T00:00:00.000Z',
    lastMessageAt: null,
    messageCount: 0,
    metadata: {},
  });
const success = () => HttpResponse.json({ success: true });
const unavailable = () =>
  HttpResponse.json({ statusCode: 503, message: 'down', error: 'Service Unavailable' }, { status: 503 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  server.resetHandlers();
  seen.length = 0;
  for (const c of clients) await c.close();
  clients = [];
});
afterAll(() => server.close());

describe('the client under MSW', () => {
  it('takes the fetch path automatically and retries a GET after 503', async () => {
    server.use(http.get(`${BASE}/thread/:id`, sequence([unavailable], thread)));
    const session = await client().getSession('t1');
    expect(session.id).toBe('t1');
    expect(seen).toHaveLength(2);
  });

  it('retries a GET after a network error', async () => {
    server.use(http.get(`${BASE}/thread/:id`, sequence([() => HttpResponse.error()], thread)));
    expect((await client().getSession('t1')).status).toBe('ACTIVE');
    expect(seen).toHaveLength(2);
  });

  it('does not retry a POST whose outcome is unknown without an idempotency key', async () => {
    server.use(http.post(`${BASE}/thread/:id/messages`, sequence([() => HttpResponse.error()], success)));
    const error = await client()
      .sendMessage('t1', 'hi')
      .catch((e: unknown) => e);
    expect(isNetworkError(error) && error.requestSent === 'maybe').toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('retries that POST with the same idempotency key when keys are on', async () => {
    server.use(http.post(`${BASE}/thread/:id/messages`, sequence([() => HttpResponse.error()], success)));
    expect(await client({ idempotencyKeys: true }).sendMessage('t1', 'hi')).toEqual({ success: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.idempotencyKey).toBe(seen[0]!.idempotencyKey);
  });

  it('retries a POST after 429 (Retry-After: 0) and after 503 without a key', async () => {
    const limited = () =>
      HttpResponse.json(
        { statusCode: 429, message: 'slow down', error: 'Too Many Requests' },
        { status: 429, headers: { 'retry-after': '0' } },
      );
    server.use(http.post(`${BASE}/thread/:id/messages`, sequence([limited, unavailable], success)));
    expect(await client({ rateLimit: { clockMarginMs: 0 } }).sendMessage('t1', 'hi')).toEqual({
      success: true,
    });
    expect(seen).toHaveLength(3);
  });

  it('with transport "undici" bypasses MSW (the documented limit) and fails as not sent', async () => {
    server.use(http.get(`${BASE}/thread/:id`, sequence([], thread)));
    const error = await client({
      transport: 'undici',
      baseUrl: 'http://127.0.0.1:9/api/public',
      retry: { maxAttempts: 1 },
    })
      .getSession('t1')
      .catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(seen).toHaveLength(0);
  });
});
