import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import {
  findRedisServer,
  NO_REDIS_REASON,
  type RunningRedisServer,
  startRedisServer,
} from '../support/redis-server.js';

/** The redis-server binary, or null (then the Redis suites skip, saying why once per file). */
export const redisBinary = findRedisServer();

/**
 * Starts a redis-server (KEYS disabled) for the enclosing describe and gives a shared client
 * and a fresh key prefix per call, so tests never need FLUSHALL and never see each other's keys.
 *
 * @example
 * describe.skipIf(!redisBinary)('redis', () => {
 *   const redis = useRedisServer('cache');
 *   it('…', async () => { const cache = createRedisCache({ client: redis.client(), keyPrefix: redis.prefix() }); });
 * });
 */
export function useRedisServer(label: string): {
  server(): RunningRedisServer;
  client(): Redis;
  prefix(): string;
  connect(): Redis;
} {
  let server: RunningRedisServer | undefined;
  let shared: Redis | undefined;
  const extra: Redis[] = [];
  let n = 0;
  beforeAll(async () => {
    server = await startRedisServer();
    shared = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const c of [shared, ...extra]) c?.disconnect();
    await server?.stop();
  });
  return {
    server: () => server!,
    client: () => shared!,
    prefix: () => `t:${label}:${++n}:`,
    connect() {
      const c = new Redis(server!.url, { maxRetriesPerRequest: 1 });
      extra.push(c);
      return c;
    },
  };
}

/** Warns once that a file's Redis suites are skipped, and why. */
export function warnIfNoRedis(file: string): void {
  if (redisBinary === null) console.warn(`[${file}] Redis suites skipped: ${NO_REDIS_REASON}`);
}
