import { afterEach, describe, expect, it } from 'vitest';
import { isRateLimitedError } from '../../harness/client/errors.js';
import { createNexusClient, type NexusClientOptions } from '../../harness/client/index.js';
import { createEventBus } from '../../harness/service/events/event-bus.js';
import { createServiceLogger } from '../../harness/service/logging/logger.js';
import { isServiceError } from '../../harness/service/service-errors.js';
import { createSessionService } from '../../harness/service/session-service.js';
import { createServiceStores } from '../../harness/service/stores.js';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import { API_KEY, FAST_CLIENT, startFastMock } from './support.js';

/**
 * The guide's integration cases, through the session service, its real stores and event bus,
 * and the client, against the mock on loopback.
 */

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/**
 * The mock's rate limit for the 70-send cases: 40 requests per 1-second window. Seventy users
 * each send their first message at once: 70 session creations, then 70 sends.
 */
const MOCK_LIMITS = {
  perMinute: { limit: 40, windowMs: 1_000 },
  perHour: { limit: 100_000, windowMs: 3_600_000 },
};
const USERS = Array.from({ length: 70 }, (_, i) => `user-${i}`);

type ClientOptions = Omit<NexusClientOptions, 'apiKey' | 'baseUrl'>;

async function serviceOn(mock: RunningMockServer, clientOptions: ClientOptions) {
  const client = createNexusClient({ ...clientOptions, apiKey: API_KEY, baseUrl: mock.url });
  open.push(client);
  // Per-user limits far above the load: the API's own limits are what these cases test.
  const stores = await createServiceStores({
    limits: { messagesPerMinute: 10_000, messagesPerHour: 10_000, sessionsPerDay: 100 },
  });
  open.push(stores);
  const logger = createServiceLogger({ level: 'silent', secrets: () => [API_KEY] });
  const events = createEventBus({ logger });
  const service = createSessionService({
    clients: { current: () => client },
    sessions: stores.sessions,
    cache: stores.cache,
    limits: stores.limits,
    events,
    logger,
  });
  return { service, events };
}

async function mock(config: Record<string, unknown> = {}): Promise<RunningMockServer> {
  const server = await startFastMock(config);
  open.push(server);
  return server;
}

describe('session service against the mock (the guide integration cases)', () => {
  it('"What is 2+2?" gets a reply matching /4|four/i', async () => {
    const { service, events } = await serviceOn(await mock(), FAST_CLIENT);
    const { reply, reusedSession } = await service.chat('user-123', 'What is 2+2?');
    expect(reply.type).toBe('assistant');
    expect(reply.content).toMatch(/4|four/i);
    expect(reusedSession).toBe(false);
    expect(events.counts()).toMatchObject({
      'message:received': 1,
      'response:generated': 1,
      'error:occurred': 0,
    });
  });

  // The client learns the window from the first answers' X-RateLimit-* headers and holds
  // back from then on, even without a limiter of its own: the 429s come from the first burst,
  // sent before any answer, hence a connection per user and a fresh client.
  it('70 concurrent sends with the client limiter off meet 429s from the mock', async () => {
    const server = await mock({ limits: MOCK_LIMITS });
    // No limiter and no waiting for a reset: each 429 (and each refusal of the client once a
    // 429 told it the window is spent) reaches the application.
    const { service } = await serviceOn(server, {
      ...FAST_CLIENT,
      rateLimit: false,
      pool: { connections: 80 },
      retry: { maxRateLimitWaitMs: 0 },
    });
    const results = await Promise.allSettled(USERS.map((user) => service.sendMessage(user, 'Test')));
    const rateLimited = results.filter(
      (r) => r.status === 'rejected' && isServiceError(r.reason) && isRateLimitedError(r.reason.cause),
    );
    expect(rateLimited.length).toBeGreaterThan(0);
    expect(server.simulator.ledger().requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it('70 concurrent sends with the client limiter on: the application sees no 429 (the limiter waits)', async () => {
    const server = await mock({ limits: MOCK_LIMITS });
    const { service } = await serviceOn(server, {
      ...FAST_CLIENT,
      pool: { connections: 80 },
      rateLimit: { perMinute: { limit: 40, windowMs: 1_000 }, perHour: false, spacing: 'even' },
    });
    const results = await Promise.allSettled(USERS.map((user) => service.sendMessage(user, 'Test')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const stored = server.simulator.ledger().effects.filter((e) => e.kind === 'message_stored');
    expect(stored).toHaveLength(70);
  });
});
