import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChatApp, startChatApp } from '../../harness/app/index.js';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import { API_KEY, FAST_CLIENT, postChat, startFastMock } from './support.js';

describe('chat app against the mock on loopback', () => {
  let mock: RunningMockServer;
  let app: RunningChatApp;

  beforeAll(async () => {
    mock = await startFastMock({ apiKeys: [API_KEY, 'second-key-for-rotation'] });
    app = await startChatApp({
      nexusUrl: mock.url,
      apiKey: API_KEY,
      port: 0,
      logger: false,
      adminToken: 'admin-secret-token',
      clientOptions: FAST_CLIENT,
    });
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
  });

  it('answers a chat with the reply, then reuses the session', async () => {
    const first = await postChat(app.url, { message: 'What is 2+2?' }, { 'x-user-id': 'alice' });
    expect(first.status).toBe(200);
    const body = (await first.json()) as {
      sessionId: string;
      reusedSession: boolean;
      reply: { content: string };
    };
    expect(body.reply.content).toMatch(/4|four/i);
    expect(body.reusedSession).toBe(false);
    const second = await postChat(app.url, { message: 'What is 3+3?' }, { 'x-user-id': 'alice' });
    const again = (await second.json()) as typeof body;
    expect(again).toMatchObject({ sessionId: body.sessionId, reusedSession: true });
    expect(again.reply.content).toMatch(/6|six/i);
  });

  it('forwards x-harness-op to its Nexus calls: as given for its effects (session, send), .read for reads', async () => {
    const res = await postChat(
      app.url,
      { message: 'What is 1+1?' },
      { 'x-user-id': 'op-user', 'x-harness-op': 'op-42' },
    );
    expect(res.status).toBe(200);
    const ops = new Set(mock.simulator.ledger().requests.map((r) => `${r.route}:${r.opId}`));
    expect(ops).toContain('sendMessage:op-42');
    expect(ops).toContain('createThread:op-42');
    expect(ops).toContain('listMessages:op-42.read');
  });

  it('refuses bad requests with 400 naming what is wrong', async () => {
    const noUser = await postChat(app.url, { message: 'hi' }, {});
    expect(noUser.status).toBe(400);
    expect(await noUser.json()).toMatchObject({ error: 'invalid_user_id' });

    const badJson = await postChat(app.url, '{"message": ');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: 'invalid_json' });

    const wrongShape = await postChat(app.url, { msg: 'hi' });
    expect(wrongShape.status).toBe(400);
    const shape = (await wrongShape.json()) as { error: string; problems: { field: string }[] };
    expect(shape.error).toBe('invalid_body');
    expect(shape.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['message']));

    const notString = await postChat(app.url, { message: 42 });
    expect(((await notString.json()) as { problems: { field: string }[] }).problems[0]!.field).toBe(
      'message',
    );

    const html = await postChat(app.url, { message: 'hello <script>alert(1)</script>' });
    expect(html.status).toBe(400);
    const check = (await html.json()) as { error: string; problems: { code: string }[] };
    expect(check.error).toBe('invalid_message');
    expect(check.problems.map((p) => p.code)).toContain('script');

    const empty = await postChat(app.url, { message: '   ' });
    expect(((await empty.json()) as { problems: { code: string }[] }).problems[0]!.code).toBe('empty');

    // 4,000 characters, each escaped as \uXXXX (Python's json.dumps default): within the body limit.
    const escaped = `{"message": "${'\\u4e2d'.repeat(4_000)}"}`;
    expect((await postChat(app.url, escaped, { 'x-user-id': 'escaped' })).status).toBe(200);
    const huge = await postChat(app.url, { message: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
  });

  it('serves /health (200 while the mock answers) and /metrics in Prometheus text', async () => {
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      checks: { api: { healthy: true }, store: { kind: 'memory', healthy: true } },
    });
    const metrics = await fetch(`${app.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/nexus_app_http_requests_total\{route="\/chat",status="200"\} \d+/);
    expect(text).toMatch(/nexus_app_http_requests_total\{route="\/chat",status="400"\} \d+/);
    expect(text).toMatch(/nexus_app_http_request_duration_seconds_bucket\{le="[\d.]+",route="\/chat"\}/);
    expect(text).toMatch(/nexus_app_events_total\{event="response:generated"\} [1-9]/);
    expect(text).toMatch(/nexus_app_cache_hits_total [1-9]/);
  });

  it('rotates the key only with the admin token (compared in constant time)', async () => {
    const rotate = (token: string | undefined, body: unknown) =>
      fetch(`${app.url}/admin/rotate-key`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { 'x-admin-token': token }),
        },
        body: JSON.stringify(body),
      });
    expect((await rotate(undefined, { apiKey: 'second-key-for-rotation' })).status).toBe(401);
    expect((await rotate('wrong', { apiKey: 'second-key-for-rotation' })).status).toBe(401);
    expect((await rotate('admin-secret-token', {})).status).toBe(400);
    const refused = await rotate('admin-secret-token', { apiKey: 'a-key-the-mock-refuses' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).not.toContain('a-key-the-mock-refuses');
    const ok = await rotate('admin-secret-token', { apiKey: 'second-key-for-rotation' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      rotated: true,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const after = await postChat(app.url, { message: 'What is 5+5?' }, { 'x-user-id': 'after-rotation' });
    expect(after.status).toBe(200);
  });

  it('answers 404 in JSON for an unknown route, and has no admin route without a token', async () => {
    const res = await fetch(`${app.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    const bare = await startChatApp({
      nexusUrl: mock.url,
      apiKey: API_KEY,
      logger: false,
      clientOptions: FAST_CLIENT,
    });
    try {
      const admin = await fetch(`${bare.url}/admin/rotate-key`, { method: 'POST' });
      expect(admin.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
