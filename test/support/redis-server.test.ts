import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { findRedisServer, NO_REDIS_REASON, startRedisServer } from './redis-server.js';

const bin = findRedisServer();
if (bin === null) console.warn(`[redis-server] skipped: ${NO_REDIS_REASON}`);

describe.skipIf(bin === null)('startRedisServer', () => {
  it('rejects, naming the reason, when redis-server cannot start', async () => {
    await expect(startRedisServer({ extraArgs: ['--no-such-option', 'x'] })).rejects.toThrow(
      /Failed to start redis-server: it exited/,
    );
  });

  it('starts a loopback server with KEYS disabled, and stops it (twice is fine)', async () => {
    const redis = await startRedisServer();
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await client.ping()).toBe('PONG');
      await expect(client.keys('*')).rejects.toThrow(/unknown command/i);
    } finally {
      client.disconnect();
      await redis.stop();
      await redis.stop();
    }
  });

  it('pauses (nothing answers), resumes, and stops while paused', async () => {
    const redis = await startRedisServer();
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, commandTimeout: 300 });
    client.on('error', () => {});
    try {
      redis.pause();
      await expect(client.ping()).rejects.toThrow(/timed out/i);
      redis.resume();
      expect(await client.ping()).toBe('PONG');
      redis.pause();
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('takes extra arguments, and KEYS back on when asked', async () => {
    const redis = await startRedisServer({ allowKeys: true, extraArgs: ['--databases', '2'] });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await client.set('a', '1');
      expect(await client.keys('*')).toEqual(['a']);
      expect(await client.config('GET', 'databases')).toEqual(['databases', '2']);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
