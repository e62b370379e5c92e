import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../harness/service/redis-connection.js';
import { isStoreError } from '../../harness/service/store-errors.js';
import { createServiceStores, type ServiceStores } from '../../harness/service/stores.js';
import { isUsageError } from '../../harness/util/errors.js';
import { isConfigError } from '../../harness/util/validation.js';
import { type RunningRedisServer, startRedisServer } from '../support/redis-server.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';

warnIfNoRedis('stores');

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createServiceStores in memory', () => {
  it('gives in-memory stores that work, ping at once, and close (twice is fine)', async () => {
    const stores = await createServiceStores({ limits: { messagesPerMinute: 1 } });
    expect(stores.kind).toBe('memory');
    await stores.ping();
    await stores.sessions.set('u1', 's1');
    expect(await stores.sessions.get('u1')).toBe('s1');
    await stores.cache.set('user:u1', 1);
    expect(await stores.cache.get('user:u1')).toBe(1);
    expect((await stores.limits.consumeMessage('u1')).allowed).toBe(true);
    expect((await stores.limits.consumeMessage('u1')).allowed).toBe(false);
    await stores.close();
    await stores.close();
    await expect(stores.sessions.get('u1')).rejects.toThrow(/closed/);
  });

  it('refuses bad limits with every problem named', async () => {
    const err = await createServiceStores({
      limits: { messagesPerMinute: -1, sessionsPerDay: Number.NaN },
    }).catch((e: unknown) => e);
    expect(isConfigError(err)).toBe(true);
    expect((err as Error).message).toMatch(/messagesPerMinute: must be a positive integer, got -1/);
    expect((err as Error).message).toMatch(/sessionsPerDay: must be a positive integer, got NaN/);
  });
});

describe('createServiceStores with a Redis URL that will not do', () => {
  it('refuses a Redis off loopback unless allowRemote, before connecting', async () => {
    const err = await createServiceStores({ redisUrl: 'redis://:hunter2@10.255.255.1:6379' }).catch(
      (e: unknown) => e,
    );
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /Refusing to connect to Redis at redis:\/\/10\.255\.255\.1:6379.*allowRemote/,
    );
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('refuses a URL that is not redis: or rediss:', async () => {
    await expect(createServiceStores({ redisUrl: 'http://127.0.0.1:6379' })).rejects.toThrow(
      /redis: or rediss:/,
    );
  });

  it('checks the limits before connecting', async () => {
    const port = await closedPort();
    const err = await createServiceStores({
      redisUrl: `redis://127.0.0.1:${port}`,
      limits: { messagesPerHour: 0 },
    }).catch((e: unknown) => e);
    expect(isConfigError(err)).toBe(true);
  });

  it('rejects when Redis cannot be reached, naming the URL without its password', async () => {
    const port = await closedPort();
    const err = await createServiceStores({ redisUrl: `redis://:s3cret-pw@127.0.0.1:${port}` }).catch(
      (e: unknown) => e,
    );
    expect(isStoreError(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`Failed to connect to Redis at redis://127.0.0.1:${port}`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('s3cret-pw');
  });
});

describe('connectRedis against a server that accepts and never answers', () => {
  it('rejects once connectTimeoutMs is up, instead of waiting for the ready check forever', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      // No commandTimeout either, so only the connect deadline can end the wait (the test's
      // own timeout fails it otherwise).
      const err = await connectRedis(`redis://127.0.0.1:${port}`, {
        connectTimeoutMs: 300,
        commandTimeoutMs: 60_000,
      }).catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
      expect((err as Error).message).toMatch(/Failed to connect to Redis at .*not ready after 300 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 10_000);
});

/** Every store call once; each settles to the StoreError it rejected with (or what it resolved). */
async function everyCall(stores: ServiceStores): Promise<unknown[]> {
  return Promise.all(
    [
      () => stores.cache.get('user:u1'),
      () => stores.cache.set('user:u1', 1),
      () => stores.cache.delete('user:u1'),
      () => stores.cache.invalidate('user:*'),
      () => stores.cache.warm([['user:u1', 1]]),
      () => stores.sessions.get('u1'),
      () => stores.sessions.set('u1', 's1'),
      () => stores.sessions.delete('u1'),
      () => stores.limits.consumeMessage('u1'),
      () => stores.limits.consumeSession('u1'),
    ].map((call) =>
      call().then(
        (v) => ({ resolved: v }),
        (e: unknown) => e,
      ),
    ),
  );
}

describe.skipIf(redisBinary === null)('createServiceStores when Redis fails mid-run', () => {
  // A server of its own per test (each is paused or stopped), stopped by a hook so a test that
  // times out still stops it.
  const servers: RunningRedisServer[] = [];
  const ownServer = async () => {
    const server = await startRedisServer();
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('a Redis that stops answering (paused): every call rejects with a StoreError, close does not hang', async () => {
    const server = await ownServer();
    const stores = await createServiceStores({ redisUrl: server.url, commandTimeoutMs: 300 });
    await stores.sessions.set('u1', 's1');
    server.pause();
    const outcomes = await everyCall(stores);
    for (const err of outcomes) {
      expect(isStoreError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/^Failed to .* in the Redis .*: Command timed out/);
    }
    expect((outcomes[5] as Error).message).toContain('get the session of user "u1"');
    await stores.close();
    await stores.close();
  }, 20_000);

  it('a Redis that is gone (stopped): every call rejects with a StoreError, close does not hang', async () => {
    const server = await ownServer();
    const stores = await createServiceStores({ redisUrl: server.url });
    await stores.sessions.set('u1', 's1');
    await server.stop();
    for (const err of await everyCall(stores)) {
      expect(isStoreError(err), String(err)).toBe(true);
    }
    await stores.close();
  }, 20_000);
});

describe.skipIf(redisBinary === null)('createServiceStores with Redis', () => {
  const redis = useRedisServer('stores');

  it('keeps sessions, cache and limits in one Redis, each under its own prefix', async () => {
    const keyPrefix = redis.prefix();
    const stores = await createServiceStores({ redisUrl: redis.server().url, keyPrefix });
    try {
      expect(stores.kind).toBe('redis');
      await stores.ping();
      await stores.sessions.set('u1', 's1');
      await stores.cache.set('user:u1', { n: 1 });
      await stores.limits.consumeMessage('u1');
      await stores.limits.consumeSession('u1');
      const [, keys] = await redis.client().scan('0', 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000);
      expect(keys.sort()).toEqual(
        [
          `${keyPrefix}cache:user:u1`,
          `${keyPrefix}limit:messagesPerHour:u1`,
          `${keyPrefix}limit:messagesPerMinute:u1`,
          `${keyPrefix}limit:sessionsPerDay:u1`,
          `${keyPrefix}session:u1`,
        ].sort(),
      );
      // Invalidating the whole cache leaves the sessions and the limits alone.
      expect(await stores.cache.invalidate('*')).toBe(1);
      expect(await stores.sessions.get('u1')).toBe('s1');
    } finally {
      await stores.close();
    }
    await expect(stores.ping()).rejects.toThrow();
  });

  it('closes with calls in flight: each settles (done, or a StoreError), none hangs', async () => {
    const stores = await createServiceStores({ redisUrl: redis.server().url, keyPrefix: redis.prefix() });
    const inFlight = Array.from({ length: 5 }, () => everyCall(stores));
    await stores.close();
    for (const outcome of (await Promise.all(inFlight)).flat()) {
      if (!(typeof outcome === 'object' && outcome !== null && 'resolved' in outcome)) {
        expect(isStoreError(outcome), String(outcome)).toBe(true);
      }
    }
    await expect(stores.cache.get('user:u1')).rejects.toThrow(/closed/);
  });

  it('shares state between two sets of stores on one prefix (two processes)', async () => {
    const keyPrefix = redis.prefix();
    const [a, b] = await Promise.all([
      createServiceStores({ redisUrl: redis.server().url, keyPrefix, limits: { sessionsPerDay: 1 } }),
      createServiceStores({ redisUrl: redis.server().url, keyPrefix, limits: { sessionsPerDay: 1 } }),
    ]);
    try {
      await a.sessions.set('u1', 's1');
      expect(await b.sessions.get('u1')).toBe('s1');
      expect((await a.limits.consumeSession('u1')).allowed).toBe(true);
      expect(await b.limits.consumeSession('u1')).toMatchObject({
        allowed: false,
        refusedBy: 'sessionsPerDay',
      });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
