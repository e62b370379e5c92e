import { describe, expect, it } from 'vitest';
import { createMemorySessionRepository } from '../../harness/service/sessions/memory-session-repository.js';
import { createRedisSessionRepository } from '../../harness/service/sessions/redis-session-repository.js';
import { SESSION_TTL_MS } from '../../harness/service/types.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';
import { sessionRepositorySuite } from './suites/session-repository-suite.js';

warnIfNoRedis('session-repository');

describe('in-memory session repository', () => {
  sessionRepositorySuite(async (options) => createMemorySessionRepository(options));
});

describe.skipIf(redisBinary === null)('Redis session repository', () => {
  const redis = useRedisServer('sessions');
  sessionRepositorySuite(async (options) =>
    createRedisSessionRepository({ client: redis.client(), keyPrefix: redis.prefix(), ...options }),
  );

  it('keeps a session 24 h (PX) under nexus:session: by default', async () => {
    const repo = createRedisSessionRepository({ client: redis.client() });
    await repo.set('u-default', 's1');
    const left = await redis.client().pttl('nexus:session:u-default');
    expect(left).toBeLessThanOrEqual(SESSION_TTL_MS);
    expect(left).toBeGreaterThan(SESSION_TTL_MS - 30_000);
    expect(await redis.client().get('nexus:session:u-default')).toBe('s1');
    await repo.delete('u-default');
  });

  it('restarts the TTL when a session is replaced (SET … PX, not KEEPTTL)', async () => {
    const prefix = redis.prefix();
    const repo = createRedisSessionRepository({ client: redis.client(), keyPrefix: prefix, ttlMs: 60_000 });
    await repo.set('u1', 's1');
    await redis.client().pexpire(`${prefix}u1`, 5);
    await repo.set('u1', 's2');
    expect(await redis.client().pttl(`${prefix}u1`)).toBeGreaterThan(5_000);
    expect(await repo.get('u1')).toBe('s2');
  });

  it('is shared by processes on one prefix (two connections)', async () => {
    const prefix = redis.prefix();
    const a = createRedisSessionRepository({ client: redis.client(), keyPrefix: prefix });
    const b = createRedisSessionRepository({ client: redis.connect(), keyPrefix: prefix });
    await a.set('u1', 's1');
    expect(await b.get('u1')).toBe('s1');
    await b.delete('u1');
    expect(await a.get('u1')).toBeNull();
  });
});
