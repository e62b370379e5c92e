import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNexusClient } from '../../harness/client/index.js';
import { createEventBus } from '../../harness/service/events/event-bus.js';
import { createServiceLogger } from '../../harness/service/logging/logger.js';
import { isUserLimitError } from '../../harness/service/service-errors.js';
import { createSessionService } from '../../harness/service/session-service.js';
import { createServiceStores } from '../../harness/service/stores.js';
import type { UserLimits } from '../../harness/service/types.js';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import {
  findRedisServer,
  NO_REDIS_REASON,
  type RunningRedisServer,
  startRedisServer,
} from '../support/redis-server.js';
import { API_KEY, FAST_CLIENT, startFastMock } from './support.js';

/**
 * The session service on Redis stores: two instances of the service (two app processes, as
 * far as the stores can tell) share one user's session and one user's limits.
 */

const redisBin = findRedisServer();
if (redisBin === null) console.warn(`[session-service redis] skipped: ${NO_REDIS_REASON}`);

describe.skipIf(redisBin === null)('session service on Redis stores', () => {
  let redis: RunningRedisServer;
  let mock: RunningMockServer;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    mock = await startFastMock();
  });
  afterAll(async () => {
    for (const thing of open.reverse()) await thing.close();
    await mock?.close();
    await redis?.stop();
  });

  async function instance(keyPrefix: string, limits: Partial<UserLimits> = {}) {
    const client = createNexusClient({ ...FAST_CLIENT, apiKey: API_KEY, baseUrl: mock.url });
    const stores = await createServiceStores({ redisUrl: redis.url, keyPrefix, limits });
    open.push(client, stores);
    const logger = createServiceLogger({ level: 'silent', secrets: () => [API_KEY] });
    return createSessionService({
      clients: { current: () => client },
      sessions: stores.sessions,
      cache: stores.cache,
      limits: stores.limits,
      events: createEventBus({ logger }),
      logger,
    });
  }

  it('a second instance reuses the session the first made, and gets the reply', async () => {
    const a = await instance('t1:');
    const b = await instance('t1:');
    const first = await a.chat('user-123', 'What is 2+2?');
    expect(first.reply.content).toMatch(/4|four/i);
    const second = await b.chat('user-123', 'What is 3+3?');
    expect(second).toMatchObject({ sessionId: first.sessionId, reusedSession: true });
    expect(second.reply.content).toMatch(/6|six/i);
  });

  it('per-user limits hold across instances', async () => {
    const a = await instance('t2:', { messagesPerMinute: 2 });
    const b = await instance('t2:', { messagesPerMinute: 2 });
    await a.sendMessage('user-9', 'one');
    await b.sendMessage('user-9', 'two');
    const err = await a.sendMessage('user-9', 'three').catch((e: unknown) => e);
    expect(isUserLimitError(err) && err.limit === 'messagesPerMinute').toBe(true);
  });
});
