import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningChatApp, startChatApp } from '../../harness/app/index.js';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import { API_KEY, FAST_CLIENT, postChat, startFastMock } from './support.js';

/**
 * The chat app against callers that misbehave: one that goes away mid-chat (still counted in
 * /metrics, once), one that sends its body a byte at a time and never finishes (cut), and a
 * URL fastify cannot decode (a JSON 400 of ours, counted under the one unmatched label).
 */

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function mockAndApp(
  appOptions: Partial<Parameters<typeof startChatApp>[0]> = {},
  replyMs = 20,
  mockConfig: Record<string, unknown> = {},
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

/** The samples of `nexus_app_http_requests_total`, as `route status → count`. */
async function requestCounts(appUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(
    /^nexus_app_http_requests_total\{route="([^"]*)",status="(\d+)"\} (\d+)$/gm,
  )) {
    counts[`${m[1]} ${m[2]}`] = Number(m[3]);
  }
  return counts;
}

/** Polls `probe` every 20 ms until it is true, at most `tries` times. */
async function until(probe: () => boolean | Promise<boolean>, tries = 250): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

function rawSocket(appUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(appUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('chat app: hostile callers', () => {
  it('a caller that disconnects mid-chat is counted once, as 499 under /chat', async () => {
    // Replies take 400 ms: the caller is gone while the app waits for the reply.
    const { mock, app } = await mockAndApp({}, 400);
    const gone = new AbortController();
    // A caller that stays, beside the one that leaves.
    const chat = postChat(app.url, { message: 'What is 2+2?' });
    const aborted = fetch(`${app.url}/chat`, {
      method: 'POST',
      signal: gone.signal,
      headers: { 'content-type': 'application/json', 'x-user-id': 'leaver' },
      body: JSON.stringify({ message: 'What is 2+2?' }),
    }).catch(() => 'aborted');
    expect(
      await until(
        () => mock.simulator.ledger().requests.filter((r) => r.route === 'sendMessage').length >= 2,
      ),
    ).toBe(true);
    gone.abort();
    expect(await aborted).toBe('aborted');
    expect((await chat).status).toBe(200);
    // Counted when its connection closed; the handler's later answer (to no one) is not counted again.
    expect(await until(async () => (await requestCounts(app.url))['/chat 499'] === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const counts = await requestCounts(app.url);
    expect(Object.fromEntries(Object.entries(counts).filter(([k]) => k.startsWith('/chat ')))).toEqual({
      '/chat 200': 1,
      '/chat 499': 1,
    });
  });

  it('concurrent chats of one user each get the reply to their own message, in one session', async () => {
    // Replies take 10-300 ms each, so they come back out of the order the messages were sent in.
    const { app } = await mockAndApp({ limits: { messagesPerMinute: 1_000, messagesPerHour: 10_000 } }, 20, {
      assistant: { delay: { type: 'uniform', minMs: 10, maxMs: 300 } },
    });
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const k = i + 11;
        const res = await postChat(app.url, { message: `What is ${k}+${k}?` }, { 'x-user-id': 'solo' });
        const body = (await res.json()) as { sessionId: string; reply: { content: string } };
        return { status: res.status, sessionId: body.sessionId, asked: k, content: body.reply.content };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.sessionId)).size).toBe(1);
    for (const a of answers)
      expect(a.content, `the reply to ${a.asked}+${a.asked}`).toContain(String(2 * a.asked));
  }, 20_000);

  it('a body sent a byte at a time and never finished is cut after receiveTimeoutMs', async () => {
    const { app } = await mockAndApp({ receiveTimeoutMs: 300 });
    const socket = await rawSocket(app.url);
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', () => {});
    });
    socket.write(
      'POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-user-id: slow\r\nContent-Length: 100\r\n\r\n{"mes',
    );
    // A trickle that would hold the socket for minutes; the app must not wait for it.
    const trickle = setInterval(() => socket.write(' '), 100);
    try {
      const outcome = await Promise.race([
        closed,
        new Promise<string>((resolve) => setTimeout(() => resolve('still open after 8 s'), 8_000)),
      ]);
      expect(outcome).not.toBe('still open after 8 s');
      if (outcome !== '') expect(outcome).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }, 15_000);

  it('two x-user-id headers are refused (Node would join them into a third user, "a, b")', async () => {
    const { app } = await mockAndApp();
    const socket = await rawSocket(app.url);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
        if (text.includes('\r\n\r\n')) resolve(text);
      });
    });
    const body = '{"message":"What is 2+2?"}';
    socket.write(
      `POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-user-id: a\r\nx-user-id: b\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    try {
      expect(await answer).toMatch(/^HTTP\/1\.1 400/);
    } finally {
      socket.destroy();
    }
  });

  it('an op id that is too long or not visible ASCII is refused, never written into the upstream ledger', async () => {
    const { mock, app } = await mockAndApp();
    for (const opId of ['x'.repeat(201), 'a b', 'caf\u00e9']) {
      const res = await postChat(app.url, { message: 'hi' }, { 'x-user-id': 'u1', 'x-harness-op': opId });
      expect(res.status, opId.slice(0, 20)).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_op_id' });
    }
    const fine = await postChat(
      app.url,
      { message: 'hi' },
      { 'x-user-id': 'u1', 'x-harness-op': `r1.${'x'.repeat(196)}` },
    );
    expect(fine.status).toBe(200);
    const opIds = mock.simulator.ledger().requests.map((r) => r.opId);
    const refused = (id: string) =>
      id.startsWith('x'.repeat(201)) || id.includes(' ') || id.includes('\u00e9');
    expect(opIds.filter((id) => id !== null && refused(id))).toEqual([]);
    expect(opIds).toContain(`r1.${'x'.repeat(196)}`);
  });

  it('a URL fastify cannot decode is a JSON 400 of ours, counted under the unmatched label', async () => {
    const { app } = await mockAndApp();
    const res = await fetch(`${app.url}/%zz`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'bad_url',
      message: 'the URL is not valid (bad percent-encoding)',
    });
    expect(await until(async () => (await requestCounts(app.url))['unmatched 400'] === 1)).toBe(true);
  });
});
