import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningChatApp, startChatApp } from '../../harness/app/index.js';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import { findRedisServer, NO_REDIS_REASON, startRedisServer } from '../support/redis-server.js';
import { API_KEY, FAST_CLIENT, postChat, startFastMock } from './support.js';

/** Closes, after each test, what it started (apps first: they use the mock and Redis). */
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function mockAndApp(
  mockConfig: Record<string, unknown>,
  appOptions: Partial<Parameters<typeof startChatApp>[0]> = {},
  replyMs = 20,
): Promise<{ mock: RunningMockServer; app: RunningChatApp }> {
  const mock = await startFastMock(mockConfig, replyMs);
  open.push(mock);
  const app = await startChatApp({
    nexusUrl: mock.url,
    apiKey: API_KEY,
    logger: false,
    clientOptions: FAST_CLIENT,
    ...appOptions,
  });
  open.push(app);
  return { mock, app };
}

describe('chat app: 429s', () => {
  it('a user limit answers 429 with Retry-After (seconds, rounded up) and the limit', async () => {
    const { app } = await mockAndApp({}, { limits: { messagesPerMinute: 1 } });
    expect((await postChat(app.url, { message: 'What is 2+2?' })).status).toBe(200);
    const limited = await postChat(app.url, { message: 'What is 2+2?' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(await limited.json()).toMatchObject({ error: 'user_rate_limited', limit: 'messagesPerMinute' });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('nexus_app_user_rate_limited_total{limit="messagesPerMinute"} 1');
  });

  it("a Nexus 429 is passed on with the API's Retry-After", async () => {
    // Every send is refused with Retry-After: 7, longer than the app lets a chat wait (5 s).
    const { app } = await mockAndApp({
      faults: [{ type: 'rate-limit', route: 'sendMessage', retryAfterSec: 7 }],
    });
    const res = await postChat(app.url, { message: 'What is 2+2?' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(8);
    expect(await res.json()).toMatchObject({ error: 'upstream_rate_limited' });
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain(
      'nexus_app_upstream_rate_limited_total 1',
    );
  });

  it('another upstream failure is a 502 with a short reason, never the key', async () => {
    const { app } = await mockAndApp(
      { faults: [{ type: 'error', route: 'sendMessage', status: 500 }] },
      { clientOptions: { ...FAST_CLIENT, retry: { maxAttempts: 1 } } },
    );
    const res = await postChat(app.url, { message: 'What is 2+2?' });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'upstream_failed', reason: 'status 500' });
    expect(text).not.toContain(API_KEY);
  });
});

describe('chat app: redirects', () => {
  it('follows no redirect of the Nexus API (it could lead off loopback): 502, and /health 503', async () => {
    let offLoopbackHits = 0;
    const redirecting = createServer((_req, res) => {
      offLoopbackHits++;
      res.writeHead(302, { location: 'http://10.255.255.1/api/public/thread' }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => redirecting.close(() => resolve())) });
    const port = (redirecting.address() as AddressInfo).port;
    const app = await startChatApp({
      nexusUrl: `http://127.0.0.1:${port}/api/public`,
      apiKey: API_KEY,
      logger: false,
      clientOptions: { ...FAST_CLIENT, retry: { maxAttempts: 1 } },
    });
    open.push(app);
    const res = await postChat(app.url, { message: 'What is 2+2?' });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: 'upstream_failed', reason: 'status 302' });
    expect((await fetch(`${app.url}/health`)).status).toBe(503);
    // One request per call reached the redirecting server, and none was made again after its 302.
    expect(offLoopbackHits).toBe(2);
  });
});

describe('chat app: health', () => {
  it('/health is 503 when the API is unreachable', async () => {
    const mock = await startFastMock();
    const url = mock.url;
    await mock.close(); // a port nothing listens on now
    const app = await startChatApp({
      nexusUrl: url,
      apiKey: API_KEY,
      logger: false,
      healthTimeoutMs: 2_000,
      clientOptions: { ...FAST_CLIENT, retry: { maxAttempts: 1 } },
    });
    open.push(app);
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(503);
    const report = (await res.json()) as { checks: { api: { healthy: boolean; error: string } } };
    expect(report.checks.api.healthy).toBe(false);
    expect(report.checks.api.error).toMatch(/ECONNREFUSED|network/i);
  });

  const redisBin = findRedisServer();
  if (redisBin === null) console.warn(`[chat-app redis] skipped: ${NO_REDIS_REASON}`);
  it.skipIf(redisBin === null)('/health is 200 with Redis up and 503 once Redis is down', async () => {
    const redis = await startRedisServer();
    open.push({ close: () => redis.stop() });
    const { app } = await mockAndApp({}, { redisUrl: redis.url, healthTimeoutMs: 1_000 });
    expect((await postChat(app.url, { message: 'What is 2+2?' })).status).toBe(200);
    const up = await fetch(`${app.url}/health`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ checks: { store: { kind: 'redis', healthy: true } } });
    await redis.stop();
    const down = await fetch(`${app.url}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      checks: { store: { kind: 'redis', healthy: false }, api: { healthy: true } },
    });
  });
});

describe('chat app: graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    // Replies take 400 ms: the chat is still waiting for its reply when close() starts.
    const { mock, app } = await mockAndApp({}, {}, 400);
    const inFlight = postChat(app.url, { message: 'What is 2+2?' });
    // Close once the send reached the mock (the request is surely in flight).
    for (
      let i = 0;
      i < 200 && !mock.simulator.ledger().requests.some((r) => r.route === 'sendMessage');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const closed = app.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { reply: { content: string } }).reply.content).toMatch(/4|four/i);
    await closed;
    await expect(postChat(app.url, { message: 'hi' })).rejects.toThrow();
  });
});
