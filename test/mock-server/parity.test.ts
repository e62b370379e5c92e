/**
 * The parity suite: one table of cases, run against every face of the mock (the HTTP server
 * on a real loopback socket, the MSW handlers and the nock interceptors in-process). Each case gets a fresh
 * simulator on a manual clock, so expiry and rate windows are tested without waiting.
 * Together the cases cover every endpoint, status code, header and limit of nexus-api.md.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ManualClock, manualClock } from '../../mock-server/core/clock.js';
import { createSimulator } from '../../mock-server/core/simulator.js';
import type { LedgerSnapshot, MessageView, ThreadView } from '../../mock-server/core/types.js';
import {
  API_KEY,
  type Client,
  client,
  expectError,
  rateHeaders,
  runPool,
  send,
  T0,
  T0_SEC,
  UUID,
} from './client.js';
import { FACES, type FaceInstance, httpFace, mswFace, nockFace } from './faces.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REPLY_DELAY_MS = 1_500;
/** Every case starts from this; a case's own config is merged over it (shallowly). */
const BASE_CONFIG = { seed: 11, assistant: { delay: { type: 'fixed', ms: REPLY_DELAY_MS } } };
/** Limits high enough never to interfere, with the real session and message limits. */
const ROOMY_LIMITS = {
  perMinute: { limit: 1_000_000, windowMs: 60_000 },
  perHour: { limit: 1_000_000, windowMs: HOUR },
};

interface Ctx extends Client {
  clock: ManualClock;
  inst: FaceInstance;
}

interface Case {
  name: string;
  config?: Record<string, unknown>;
  /** For the cases that send hundreds of requests: room for a loaded 2-core machine. */
  timeoutMs?: number;
  run(t: Ctx): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function list(t: Ctx, id: string, query = ''): Promise<MessageView[]> {
  const res = await t.api('GET', `/thread/${id}/messages${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json as MessageView[];
}

async function getThread(t: Ctx, id: string): Promise<ThreadView> {
  const res = await t.api('GET', `/thread/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json as ThreadView;
}

/** Seeds a thread with `n` user messages `m001`…, through the admin API (no budget used). */
async function seedMessages(t: Ctx, n: number, id = 'seeded'): Promise<string> {
  const messages = Array.from({ length: n }, (_, i) => ({
    id: `m${String(i + 1).padStart(3, '0')}`,
    type: 'user',
    content: `message ${i + 1}`,
  }));
  await t.seedThread({ id, messages });
  return id;
}

const ids = (messages: MessageView[]) => messages.map((m) => m.id);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `m${String(from + i).padStart(3, '0')}`);

const effects = (ledger: LedgerSnapshot, kind: string) => ledger.effects.filter((e) => e.kind === kind);

// ---- the table ---------------------------------------------------------------------------

const threadCases: Case[] = [
  {
    name: 'POST /thread without a body → 200 { id: UUID, createdAt: the clock time } and one thread_created effect',
    async run(t) {
      const res = await t.api('POST', '/thread');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.json).toEqual({ id: expect.stringMatching(UUID), createdAt: iso(T0) });
      const ledger = await t.ledger();
      expect(effects(ledger, 'thread_created')).toHaveLength(1);
      expect(effects(ledger, 'message_stored')).toHaveLength(0);
    },
  },
  {
    name: 'POST /thread with {} → 200 and an empty thread (no message stored)',
    async run(t) {
      const res = await t.api('POST', '/thread', { body: {} });
      expect(res.status).toBe(200);
      const id = (res.json as { id: string }).id;
      expect(await list(t, id)).toEqual([]);
    },
  },
  {
    name: 'POST /thread with a first message stores it; the reply appears only after the configured delay ("What is 2+2?" → 4)',
    async run(t) {
      const id = await t.createThread('What is 2+2?');
      const first = await list(t, id);
      expect(first).toEqual([
        { id: expect.any(String), type: 'user', content: 'What is 2+2?', createdAt: iso(T0) },
      ]);
      t.clock.advance(REPLY_DELAY_MS - 1);
      expect(await list(t, id)).toHaveLength(1);
      t.clock.advance(1);
      const both = await list(t, id);
      expect(both).toHaveLength(2);
      expect(both[1]).toMatchObject({ type: 'assistant', createdAt: iso(T0 + REPLY_DELAY_MS) });
      expect(both[1]!.content).toContain('4');
      const ledger = await t.ledger();
      expect(effects(ledger, 'reply_stored')).toHaveLength(1);
    },
  },
  {
    name: 'a sent message is answered like a first message: "What is 6 * 7?" → a reply containing 42 after the delay',
    async run(t) {
      const id = await t.createThread();
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: 'What is 6 * 7?' } })).status,
      ).toBe(200);
      t.clock.advance(REPLY_DELAY_MS);
      const messages = await list(t, id);
      expect(messages.map((m) => m.type)).toEqual(['user', 'assistant']);
      expect(messages[1]!.content).toContain('42');
    },
  },
  {
    name: 'POST /thread with an invalid first message or a non-object body → 400 and no thread created',
    async run(t) {
      const bad: unknown[] = [
        { message: '' },
        { message: '   ' },
        { message: 'x'.repeat(4_001) },
        { message: 42 },
        ['hello'],
        'hello',
        7,
      ];
      for (const body of bad) expectError(await t.api('POST', '/thread', { body }), 400);
      expectError(
        await t.api('POST', '/thread', {
          raw: '{"message":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
      );
      expect(effects(await t.ledger(), 'thread_created')).toHaveLength(0);
    },
  },
  {
    name: 'GET /thread/{id} → id, topic, status, createdAt, lastMessageAt, messageCount, metadata (null topic/lastMessageAt before any message)',
    async run(t) {
      const id = await t.createThread();
      const empty = await getThread(t, id);
      expect(empty).toEqual({
        id,
        topic: null,
        status: 'ACTIVE',
        createdAt: iso(T0),
        lastMessageAt: null,
        messageCount: 0,
        metadata: { agentId: expect.any(String), integrationId: expect.any(String) },
      });
      t.clock.advance(1_000);
      await t.api('POST', `/thread/${id}/messages`, { body: { content: 'Plan my trip to Lisbon' } });
      const one = await getThread(t, id);
      expect(one).toMatchObject({
        topic: 'Plan my trip to Lisbon',
        lastMessageAt: iso(T0 + 1_000),
        messageCount: 1,
      });
      t.clock.advance(REPLY_DELAY_MS);
      const two = await getThread(t, id);
      expect(two).toMatchObject({ messageCount: 2, lastMessageAt: iso(T0 + 1_000 + REPLY_DELAY_MS) });
    },
  },
  {
    name: 'a thread turns ACTIVE → EXPIRED after 24 h without activity (injected clock), and then refuses messages with 409',
    async run(t) {
      const id = await t.createThread();
      t.clock.advance(DAY - 1);
      expect((await getThread(t, id)).status).toBe('ACTIVE');
      t.clock.advance(1);
      expect((await getThread(t, id)).status).toBe('EXPIRED');
      expectError(await t.api('POST', `/thread/${id}/messages`, { body: { content: 'hi' } }), 409, /EXPIRED/);
    },
  },
  {
    name: 'a message (and its reply) restarts the 24 h expiry; reading the thread does not',
    async run(t) {
      const id = await t.createThread();
      t.clock.advance(12 * HOUR);
      await t.api('POST', `/thread/${id}/messages`, { body: { content: 'still here' } });
      // Last activity: the reply, 12 h + 1.5 s after creation.
      t.clock.advance(REPLY_DELAY_MS + DAY - 1);
      expect((await getThread(t, id)).status).toBe('ACTIVE');
      t.clock.advance(1);
      expect((await getThread(t, id)).status).toBe('EXPIRED');
    },
  },
  {
    name: 'sessionTtlMs is configurable: with 60 s the thread expires after 60 s',
    config: { sessionTtlMs: 60_000 },
    async run(t) {
      const id = await t.createThread();
      t.clock.advance(59_999);
      expect((await getThread(t, id)).status).toBe('ACTIVE');
      t.clock.advance(1);
      expect((await getThread(t, id)).status).toBe('EXPIRED');
    },
  },
  {
    name: 'a thread seeded CLOSED through the admin API reads CLOSED and refuses messages with 409',
    async run(t) {
      const seeded = await t.seedThread({ id: 'closed-1', status: 'CLOSED', topic: 'done' });
      expect(seeded.status).toBe('CLOSED');
      const view = await getThread(t, 'closed-1');
      expect(view).toMatchObject({ id: 'closed-1', status: 'CLOSED', topic: 'done' });
      expectError(
        await t.api('POST', '/thread/closed-1/messages', { body: { content: 'hi' } }),
        409,
        /CLOSED/,
      );
      expect(effects(await t.ledger(), 'message_stored')).toHaveLength(0);
    },
  },
  {
    name: 'a thread seeded EXPIRED through the admin API reads EXPIRED and refuses messages with 409',
    async run(t) {
      await t.seedThread({ id: 'old-1', status: 'EXPIRED' });
      expect((await getThread(t, 'old-1')).status).toBe('EXPIRED');
      expectError(await t.api('POST', '/thread/old-1/messages', { body: { content: 'hi' } }), 409);
    },
  },
  {
    name: 'GET /thread/{unknown id} → 404 with the error body',
    async run(t) {
      expectError(await t.api('GET', '/thread/00000000-0000-4000-8000-000000000000'), 404, /not found/);
    },
  },
  {
    name: "threads belong to their API key: another key's thread is 404",
    config: { apiKeys: [API_KEY, 'second-key'] },
    async run(t) {
      const id = await t.createThread();
      expectError(await t.api('GET', `/thread/${id}`, { key: 'second-key' }), 404);
      expectError(await t.api('GET', `/thread/${id}/messages`, { key: 'second-key' }), 404);
      expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    },
  },
];

const BAD_SEND_BODIES: [string, unknown][] = [
  ['empty content', { content: '' }],
  ['whitespace-only content', { content: ' \n\t ' }],
  ['content of 4001 characters', { content: 'x'.repeat(4_001) }],
  ['numeric content', { content: 42 }],
  ['null content', { content: null }],
  ['array content', { content: ['hi'] }],
  ['no content field', { text: 'hi' }],
  ['an array body', [{ content: 'hi' }]],
  ['a string body', 'hi'],
  ['a number body', 7],
  ['a null body', null],
];

const sendCases: Case[] = [
  {
    name: 'POST /thread/{id}/messages → 200 { success: true }, stores a user message and one message_stored effect',
    async run(t) {
      const id = await t.createThread();
      const res = await t.api('POST', `/thread/${id}/messages`, { body: { content: 'Hello' } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ success: true });
      expect(await list(t, id)).toEqual([
        { id: expect.any(String), type: 'user', content: 'Hello', createdAt: iso(T0) },
      ]);
      const stored = effects(await t.ledger(), 'message_stored');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ threadId: id, messageId: expect.any(String) });
    },
  },
  ...BAD_SEND_BODIES.map(
    ([label, body]): Case => ({
      name: `POST /thread/{id}/messages with ${label} → 400 and nothing stored`,
      async run(t) {
        const id = await t.createThread();
        expectError(await t.api('POST', `/thread/${id}/messages`, { body }), 400);
        expect(await list(t, id)).toEqual([]);
      },
    }),
  ),
  {
    name: 'POST /thread/{id}/messages with malformed JSON → 400 "Malformed JSON body"',
    async run(t) {
      const id = await t.createThread();
      const res = await t.api('POST', `/thread/${id}/messages`, {
        raw: '{"content": "unterminated',
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, /Malformed JSON/);
    },
  },
  {
    name: 'a body that is not valid UTF-8 JSON (leading BOM, invalid bytes) → 400 "Malformed JSON body"',
    async run(t) {
      const id = await t.createThread();
      const headers = { 'api-key': API_KEY, 'content-type': 'application/json' };
      const bodies = [Buffer.from('\ufeff{"content":"hi"}'), Buffer.from([0xff, 0xfe, 0x7b, 0x7d])];
      for (const body of bodies) {
        const res = await fetch(`${t.inst.url}/thread/${id}/messages`, { method: 'POST', headers, body });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ message: 'Malformed JSON body' });
      }
    },
  },
  {
    name: 'POST /thread/{id}/messages without a body → 400',
    async run(t) {
      const id = await t.createThread();
      expectError(await t.api('POST', `/thread/${id}/messages`), 400);
    },
  },
  {
    name: 'message length: exactly 4000 characters → 200, 4001 → 400',
    async run(t) {
      const id = await t.createThread();
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: 'a'.repeat(4_000) } })).status,
      ).toBe(200);
      expectError(
        await t.api('POST', `/thread/${id}/messages`, { body: { content: 'a'.repeat(4_001) } }),
        400,
        /4000/,
      );
    },
  },
  {
    name: 'message length counts characters, not UTF-16 units: 4000 emoji → 200, 4001 → 400',
    async run(t) {
      const id = await t.createThread();
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: '😀'.repeat(4_000) } })).status,
      ).toBe(200);
      expectError(
        await t.api('POST', `/thread/${id}/messages`, { body: { content: '😀'.repeat(4_001) } }),
        400,
      );
    },
  },
  {
    name: 'maxMessageLength is configurable: with 10, 10 characters → 200 and 11 → 400',
    config: { maxMessageLength: 10 },
    async run(t) {
      const id = await t.createThread();
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: '0123456789' } })).status,
      ).toBe(200);
      expectError(await t.api('POST', `/thread/${id}/messages`, { body: { content: '0123456789a' } }), 400);
    },
  },
  {
    name: 'POST /thread/{unknown id}/messages → 404',
    async run(t) {
      expectError(await t.api('POST', '/thread/nope/messages', { body: { content: 'hi' } }), 404);
    },
  },
];

const listCases: Case[] = [
  {
    name: 'GET /thread/{id}/messages defaults to 20 messages, oldest first',
    async run(t) {
      const id = await seedMessages(t, 25);
      const page = await list(t, id);
      expect(ids(page)).toEqual(range(1, 20));
      expect(page[0]).toEqual({ id: 'm001', type: 'user', content: 'message 1', createdAt: iso(T0) });
    },
  },
  {
    name: 'limit bounds: limit=1 → 1 message, limit=100 → 100 of 150',
    async run(t) {
      const id = await seedMessages(t, 150);
      expect(ids(await list(t, id, '?limit=1'))).toEqual(['m001']);
      expect(ids(await list(t, id, '?limit=100'))).toEqual(range(1, 100));
    },
  },
  ...['0', '101', 'abc', '-1', '1.5', '', '1e2', '20&limit=30'].map(
    (value): Case => ({
      name: `GET /thread/{id}/messages?limit=${value} → 400`,
      async run(t) {
        const id = await seedMessages(t, 3);
        expectError(await t.api('GET', `/thread/${id}/messages?limit=${value}`), 400, /limit/);
      },
    }),
  ),
  {
    name: 'order=asc gives oldest first, order=desc newest first, order=sideways → 400',
    async run(t) {
      const id = await seedMessages(t, 5);
      expect(ids(await list(t, id, '?order=asc'))).toEqual(range(1, 5));
      expect(ids(await list(t, id, '?order=desc'))).toEqual(range(1, 5).reverse());
      expect(ids(await list(t, id, '?order=desc&limit=2'))).toEqual(['m005', 'm004']);
      expectError(await t.api('GET', `/thread/${id}/messages?order=sideways`), 400, /order/);
    },
  },
  {
    name: 'after=X pages forward from X (exclusive); the last id of a page fetches the next page',
    async run(t) {
      const id = await seedMessages(t, 45);
      const first = await list(t, id, '?limit=20');
      const second = await list(t, id, `?limit=20&after=${first.at(-1)!.id}`);
      const third = await list(t, id, `?limit=20&after=${second.at(-1)!.id}`);
      expect(ids(second)).toEqual(range(21, 40));
      expect(ids(third)).toEqual(range(41, 45));
      expect(await list(t, id, '?after=m045')).toEqual([]);
    },
  },
  {
    name: 'before=X gives the messages before X; with order=desc the newest ones before X',
    async run(t) {
      const id = await seedMessages(t, 30);
      expect(ids(await list(t, id, '?before=m005'))).toEqual(range(1, 4));
      expect(ids(await list(t, id, '?before=m025&order=desc&limit=3'))).toEqual(['m024', 'm023', 'm022']);
      expect(await list(t, id, '?before=m001')).toEqual([]);
    },
  },
  {
    name: 'after and before together select the range strictly between them, in either order',
    async run(t) {
      const id = await seedMessages(t, 10);
      expect(ids(await list(t, id, '?after=m003&before=m007'))).toEqual(['m004', 'm005', 'm006']);
      expect(ids(await list(t, id, '?after=m003&before=m007&order=desc'))).toEqual(['m006', 'm005', 'm004']);
      expect(await list(t, id, '?after=m007&before=m003')).toEqual([]);
    },
  },
  {
    name: 'an unknown after or before cursor, or an empty one → 400',
    async run(t) {
      const id = await seedMessages(t, 3);
      expectError(await t.api('GET', `/thread/${id}/messages?after=zzz`), 400, /after/);
      expectError(await t.api('GET', `/thread/${id}/messages?before=zzz`), 400, /before/);
      expectError(await t.api('GET', `/thread/${id}/messages?after=`), 400, /after/);
    },
  },
  {
    name: 'GET /thread/{unknown id}/messages → 404',
    async run(t) {
      expectError(await t.api('GET', '/thread/nope/messages'), 404);
    },
  },
  {
    name: 'polling with after=<newest id> returns [] until the reply is due, then only the reply',
    async run(t) {
      const id = await t.createThread('hello there');
      const [mine] = await list(t, id);
      expect(await list(t, id, `?after=${mine!.id}`)).toEqual([]);
      t.clock.advance(REPLY_DELAY_MS);
      const fresh = await list(t, id, `?after=${mine!.id}`);
      expect(fresh.map((m) => m.type)).toEqual(['assistant']);
    },
  },
  {
    name: 'messages carry metadata and toolCallId when they have them, and every message type is listed',
    async run(t) {
      await t.seedThread({
        id: 'typed',
        messages: [
          { id: 's', type: 'system', content: 'be brief' },
          { id: 'u', type: 'user', content: 'weather?' },
          { id: 'a', type: 'assistant', content: 'calling a tool', metadata: { model: 'm1' } },
          { id: 'x', type: 'tool', content: '{"temp":21}', toolCallId: 'call-1' },
        ],
      });
      const page = await list(t, 'typed');
      expect(page.map((m) => m.type)).toEqual(['system', 'user', 'assistant', 'tool']);
      expect(page[2]).toMatchObject({ metadata: { model: 'm1' } });
      expect(page[3]).toMatchObject({ toolCallId: 'call-1' });
      expect(page[0]).not.toHaveProperty('toolCallId');
    },
  },
];

const ROUTES: [string, string, unknown?][] = [
  ['POST', '/thread', {}],
  ['GET', '/thread/any'],
  ['POST', '/thread/any/messages', { content: 'hi' }],
  ['GET', '/thread/any/messages'],
];

const authCases: Case[] = [
  {
    name: 'every route without an api-key header → 401 "Missing API key", without X-RateLimit headers',
    async run(t) {
      for (const [method, path, body] of ROUTES) {
        const res = await t.api(method, path, { key: null, body });
        expectError(res, 401, /Missing API key/);
        expect(res.headers.get('x-ratelimit-limit')).toBeNull();
      }
    },
  },
  {
    name: 'every route with an unknown or empty api-key → 401 (Invalid / Missing API key)',
    async run(t) {
      for (const [method, path, body] of ROUTES) {
        expectError(await t.api(method, path, { key: 'not-a-key', body }), 401, /Invalid API key/);
        expectError(await t.api(method, path, { key: '', body }), 401, /Missing API key/);
      }
    },
  },
  {
    name: 'a 401 uses none of the rate budget',
    config: { limits: { perMinute: { limit: 2 } } },
    async run(t) {
      for (let i = 0; i < 5; i++) expectError(await t.api('POST', '/thread', { key: 'wrong' }), 401);
      expect((await t.api('POST', '/thread')).status).toBe(200);
      expect((await t.api('POST', '/thread')).status).toBe(200);
    },
  },
];

const rateCases: Case[] = [
  {
    name: 'every authenticated response (200, 400, 404, 409) carries X-RateLimit-Limit/Remaining/Reset; Remaining counts down; Reset is Unix seconds',
    async run(t) {
      await t.seedThread({ id: 'shut', status: 'CLOSED' });
      const responses = [
        await t.api('POST', '/thread'),
        await t.api('POST', '/thread', { body: { message: '' } }),
        await t.api('GET', '/thread/nope'),
        await t.api('POST', '/thread/shut/messages', { body: { content: 'hi' } }),
        await t.api('GET', '/thread/shut/messages?limit=0'),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 400, 404, 409, 400]);
      responses.forEach((res, i) => {
        expect(rateHeaders(res)).toEqual({ limit: 60, remaining: 59 - i, reset: T0_SEC + 60 });
      });
    },
  },
  {
    name: 'real per-minute limit: the 61st request in a minute → 429 with the error body, Remaining 0 and Retry-After',
    async run(t) {
      for (let i = 0; i < 60; i++) expect((await t.api('GET', '/thread/x')).status).toBe(404);
      const res = await t.api('GET', '/thread/x');
      expectError(res, 429, /Rate limit/);
      expect(rateHeaders(res)).toEqual({ limit: 60, remaining: 0, reset: T0_SEC + 60 });
      expect(res.headers.get('retry-after')).toBe('60');
      t.clock.advance(30_500);
      const later = await t.api('GET', '/thread/x');
      expect(later.status).toBe(429);
      expect(later.headers.get('retry-after')).toBe('30');
    },
  },
  {
    name: 'with retryAfterHeader: false a 429 has the X-RateLimit headers but no Retry-After',
    config: { retryAfterHeader: false, limits: { perMinute: { limit: 2 } } },
    async run(t) {
      await t.api('GET', '/thread/x');
      await t.api('GET', '/thread/x');
      const res = await t.api('GET', '/thread/x');
      expectError(res, 429);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(rateHeaders(res)).toEqual({ limit: 2, remaining: 0, reset: T0_SEC + 60 });
    },
  },
  {
    name: 'the window resets when it has passed (clock): 429 up to the reset, then the full budget again',
    config: { limits: { perMinute: { limit: 3, windowMs: 10_000 } } },
    async run(t) {
      for (let i = 0; i < 3; i++) expect((await t.api('POST', '/thread')).status).toBe(200);
      const limited = await t.api('POST', '/thread');
      expect(limited.status).toBe(429);
      expect(rateHeaders(limited).reset).toBe(T0_SEC + 10);
      t.clock.advance(9_999);
      expect((await t.api('POST', '/thread')).status).toBe(429);
      t.clock.advance(1);
      const fresh = await t.api('POST', '/thread');
      expect(fresh.status).toBe(200);
      expect(rateHeaders(fresh)).toEqual({ limit: 3, remaining: 2, reset: T0_SEC + 20 });
    },
  },
  {
    name: 'refused requests use no budget: after a burst of 429s the next window still has its full budget',
    config: { limits: { perMinute: { limit: 2, windowMs: 1_000 } } },
    async run(t) {
      for (let i = 0; i < 2; i++) await t.api('GET', '/thread/x');
      for (let i = 0; i < 5; i++) expect((await t.api('GET', '/thread/x')).status).toBe(429);
      t.clock.advance(1_000);
      expect(rateHeaders(await t.api('GET', '/thread/x')).remaining).toBe(1);
    },
  },
  {
    name: 'per-hour window (small values): the 6th request in the hour → 429 reported with the hour limit and reset, until the hour ends',
    config: { limits: { perMinute: { limit: 100 }, perHour: { limit: 5 } } },
    async run(t) {
      for (let i = 0; i < 5; i++) {
        const res = await t.api('GET', '/thread/x');
        expect(rateHeaders(res)).toEqual({ limit: 5, remaining: 4 - i, reset: T0_SEC + 3_600 });
      }
      const res = await t.api('GET', '/thread/x');
      expectError(res, 429);
      expect(rateHeaders(res)).toEqual({ limit: 5, remaining: 0, reset: T0_SEC + 3_600 });
      expect(res.headers.get('retry-after')).toBe('3600');
      t.clock.advance(60_000);
      expect((await t.api('GET', '/thread/x')).status).toBe(429);
      t.clock.advance(HOUR - 60_000);
      expect((await t.api('GET', '/thread/x')).status).toBe(404);
    },
  },
  {
    name: 'real per-hour limit: 1,000 requests spread over 17 minutes pass, the 1,001st → 429 with reset at the end of the hour',
    timeoutMs: 120_000,
    async run(t) {
      for (let sent = 0; sent < 1_000; sent += 60) {
        if (sent > 0) t.clock.advance(60_000);
        const statuses = await runPool(Math.min(60, 1_000 - sent), 6, async () => {
          return (await t.api('GET', '/thread/x')).status;
        });
        expect(statuses.filter((s) => s !== 404)).toEqual([]);
      }
      const res = await t.api('GET', '/thread/x');
      expectError(res, 429);
      expect(rateHeaders(res)).toEqual({ limit: 1_000, remaining: 0, reset: T0_SEC + 3_600 });
      expect(res.headers.get('retry-after')).toBe(String(3_600 - 16 * 60));
    },
  },
  {
    name: 'rate limits are per API key: one key at its limit does not limit another',
    config: { apiKeys: [API_KEY, 'second-key'], limits: { perMinute: { limit: 1 } } },
    async run(t) {
      expect((await t.api('POST', '/thread')).status).toBe(200);
      expect((await t.api('POST', '/thread')).status).toBe(429);
      expect((await t.api('POST', '/thread', { key: 'second-key' })).status).toBe(200);
    },
  },
  {
    name: 'limits: false (no-limits mode) sends no X-RateLimit headers and never 429s',
    config: { limits: false },
    async run(t) {
      for (let i = 0; i < 70; i++) {
        const res = await t.api('GET', '/thread/x');
        if (res.status !== 404) expect.fail(`request ${i + 1}: ${res.status}`);
      }
      const res = await t.api('POST', '/thread');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    },
  },
];

const sessionCases: Case[] = [
  {
    name: 'concurrent sessions (limit 3): the 4th create → 429; an expired thread frees its slot',
    config: { limits: { concurrentSessions: 3 }, sessionTtlMs: 60_000 },
    async run(t) {
      for (let i = 0; i < 3; i++) await t.createThread();
      expectError(await t.api('POST', '/thread'), 429, /Concurrent session limit of 3/);
      t.clock.advance(60_000);
      expect((await t.api('POST', '/thread')).status).toBe(200);
      expect(effects(await t.ledger(), 'thread_created')).toHaveLength(4);
    },
  },
  {
    name: 'concurrent sessions: seeded CLOSED threads do not count toward the limit',
    config: { limits: { concurrentSessions: 2 } },
    async run(t) {
      await t.seedThread({ status: 'CLOSED' });
      await t.seedThread({ status: 'CLOSED' });
      await t.createThread();
      await t.createThread();
      expectError(await t.api('POST', '/thread'), 429);
    },
  },
  {
    name: 'real concurrent-session limit: 100 creates succeed, the 101st → 429',
    timeoutMs: 60_000,
    config: { limits: ROOMY_LIMITS },
    async run(t) {
      const statuses = await runPool(100, 8, async () => (await t.api('POST', '/thread')).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expectError(await t.api('POST', '/thread'), 429, /Concurrent session limit of 100/);
    },
  },
  {
    name: 'messages per session (limit 5, first message included): the 6th → 429; the thread stays readable, others unaffected',
    config: { limits: { messagesPerSession: 5 } },
    async run(t) {
      const id = await t.createThread('one');
      for (let i = 2; i <= 5; i++) {
        expect((await t.api('POST', `/thread/${id}/messages`, { body: { content: `m${i}` } })).status).toBe(
          200,
        );
      }
      expectError(
        await t.api('POST', `/thread/${id}/messages`, { body: { content: 'm6' } }),
        429,
        /5 per session/,
      );
      expect((await getThread(t, id)).status).toBe('ACTIVE');
      const other = await t.createThread();
      expect((await t.api('POST', `/thread/${other}/messages`, { body: { content: 'x' } })).status).toBe(200);
    },
  },
  {
    name: 'real messages-per-session limit on a thread seeded with 9,999 user messages: the 10,000th send → 200, the 10,001st → 429',
    config: { limits: ROOMY_LIMITS, maxBodyBytes: 1_048_576 },
    async run(t) {
      const id = await seedMessages(t, 9_999, 'nearly-full');
      expect((await t.api('POST', `/thread/${id}/messages`, { body: { content: 'last' } })).status).toBe(200);
      expectError(
        await t.api('POST', `/thread/${id}/messages`, { body: { content: 'over' } }),
        429,
        /10000 per session/,
      );
      expect((await getThread(t, id)).messageCount).toBe(10_000);
    },
  },
];

const idempotencyCases: Case[] = [
  {
    name: 'POST /thread repeated with one Idempotency-Key → the same thread, one effect, the repeat marked replayed',
    async run(t) {
      const headers = { 'idempotency-key': 'create-1' };
      const a = await t.api('POST', '/thread', { body: { message: 'hi' }, headers });
      const b = await t.api('POST', '/thread', { body: { message: 'hi' }, headers });
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.text).toBe(a.text);
      const ledger = await t.ledger();
      expect(effects(ledger, 'thread_created')).toHaveLength(1);
      expect(effects(ledger, 'message_stored')).toHaveLength(1);
      const requests = ledger.requests.filter((r) => r.route === 'createThread');
      expect(requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        ['create-1', false],
        ['create-1', true],
      ]);
    },
  },
  {
    name: 'POST messages repeated with one Idempotency-Key → { success: true } twice, one message stored',
    async run(t) {
      const id = await t.createThread();
      const headers = { 'idempotency-key': 'send-1' };
      for (let i = 0; i < 3; i++) {
        const res = await t.api('POST', `/thread/${id}/messages`, { body: { content: 'once' }, headers });
        expect(res.json).toEqual({ success: true });
      }
      expect(await list(t, id)).toHaveLength(1);
      const stored = effects(await t.ledger(), 'message_stored');
      expect(stored).toHaveLength(1);
      expect(stored[0]!.idempotencyKey).toBe('send-1');
    },
  },
  {
    name: 'an Idempotency-Key reused with a different body or on a different thread → 422',
    async run(t) {
      const id = await t.createThread();
      const other = await t.createThread();
      const headers = { 'idempotency-key': 'k' };
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: 'a' }, headers })).status,
      ).toBe(200);
      expectError(
        await t.api('POST', `/thread/${id}/messages`, { body: { content: 'b' }, headers }),
        422,
        /Idempotency-Key/,
      );
      expectError(await t.api('POST', `/thread/${other}/messages`, { body: { content: 'a' }, headers }), 422);
      expect(effects(await t.ledger(), 'message_stored')).toHaveLength(1);
    },
  },
  {
    name: 'a refused request is not remembered: a 400 with a key, then the corrected request with that key → 200',
    async run(t) {
      const id = await t.createThread();
      const headers = { 'idempotency-key': 'retry-me' };
      expectError(await t.api('POST', `/thread/${id}/messages`, { body: { content: '' }, headers }), 400);
      expect(
        (await t.api('POST', `/thread/${id}/messages`, { body: { content: 'ok' }, headers })).status,
      ).toBe(200);
    },
  },
];

const ledgerCases: Case[] = [
  {
    name: 'the ledger records each request and effect with clock times, keyId fingerprints (never the API key), op ids and requestSeq links; ?since= reads on',
    async run(t) {
      const opHeader = { 'x-harness-op': 'op-7', 'idempotency-key': 'idem-7' };
      const created = await t.api('POST', '/thread', { body: { message: 'hello' }, headers: opHeader });
      const id = (created.json as { id: string }).id;
      t.clock.advance(2_000);
      await t.api('GET', `/thread/${id}`, { headers: { 'x-harness-op': 'op-8' } });
      await t.api('GET', '/thread/x', { key: 'wrong-key' });
      const ledger = await t.ledger();
      expect(JSON.stringify(ledger)).not.toContain(API_KEY);
      const [create, read, unauth] = ledger.requests;
      expect(ledger.requests).toHaveLength(3);
      expect(create).toMatchObject({
        at: T0,
        method: 'POST',
        route: 'createThread',
        path: '/api/public/thread',
        status: 200,
        keyId: expect.stringMatching(/^k_[0-9a-f]{12}$/),
        idempotencyKey: 'idem-7',
        opId: 'op-7',
        fault: null,
        delayMs: 0,
        replayed: false,
      });
      expect(create!.keyId).not.toBe(API_KEY);
      expect(read).toMatchObject({
        at: T0 + 2_000,
        route: 'getThread',
        opId: 'op-8',
        idempotencyKey: null,
        status: 200,
      });
      expect(unauth).toMatchObject({ status: 401, keyId: null, route: 'getThread' });
      expect(ledger.effects.map((e) => e.kind)).toEqual(['thread_created', 'message_stored', 'reply_stored']);
      const [thread, message, reply] = ledger.effects;
      expect(thread).toMatchObject({
        threadId: id,
        keyId: create!.keyId,
        requestSeq: create!.seq,
        opId: 'op-7',
      });
      expect(message).toMatchObject({
        requestSeq: create!.seq,
        idempotencyKey: 'idem-7',
        messageId: expect.any(String),
      });
      expect(reply).toMatchObject({ at: T0 + REPLY_DELAY_MS, requestSeq: null, threadId: id });
      const later = await t.ledger(read!.seq - 1);
      expect(later.requests.map((r) => r.seq)).toEqual([read!.seq, unauth!.seq]);
      expect(later.effects.every((e) => e.seq > read!.seq - 1)).toBe(true);
      expect(ledger.dropped).toBe(0);
    },
  },
];

const routingCases: Case[] = [
  {
    name: 'unknown routes → 404 JSON error body',
    async run(t) {
      for (const path of ['/threads', '/thread/a/b', '/thread/a/messages/b', '/thread//messages', '']) {
        expectError(await t.api('GET', path), 404);
      }
      expectError(await send(`${t.inst.origin}/elsewhere`, 'GET'), 404);
    },
  },
  {
    name: 'a known path with the wrong method → 405 with an Allow header',
    async run(t) {
      const cases: [string, string, string][] = [
        ['DELETE', '/thread', 'POST'],
        ['GET', '/thread', 'POST'],
        ['PUT', '/thread/abc', 'GET'],
        ['DELETE', '/thread/abc/messages', 'GET, POST'],
      ];
      for (const [method, path, allow] of cases) {
        const res = await t.api(method, path);
        expectError(res, 405);
        expect(res.headers.get('allow')).toBe(allow);
      }
    },
  },
  {
    name: 'a body with a non-JSON content type → 415 (JSON text or not)',
    async run(t) {
      const id = await t.createThread();
      for (const raw of ['{"content":"hi"}', 'content=hi']) {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
          const res = await t.api('POST', `/thread/${id}/messages`, {
            raw,
            headers: { 'content-type': type },
          });
          expectError(res, 415);
        }
      }
      expect(effects(await t.ledger(), 'message_stored')).toHaveLength(0);
    },
  },
  {
    name: 'a body over maxBodyBytes → 413; the server keeps answering',
    config: { maxBodyBytes: 1_024 },
    async run(t) {
      const id = await t.createThread();
      const res = await t.api('POST', `/thread/${id}/messages`, { body: { content: 'x'.repeat(2_000) } });
      expectError(res, 413, /1024 bytes/);
      expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    },
  },
];

const adminCases: Case[] = [
  {
    name: 'admin API: health, config, time, limits, faults (400 listing problems), reset and unknown routes, all JSON',
    async run(t) {
      expect((await t.admin('GET', '/health')).json).toEqual({
        status: 'ok',
        now: iso(T0),
        instanceId: t.inst.simulator.instanceId,
      });
      expect((await t.admin('GET', '/config')).json).toMatchObject({ seed: 11, apiKeys: [API_KEY] });
      expect((await t.admin('POST', '/time', { advanceMs: 5_000 })).json).toEqual({ now: iso(T0 + 5_000) });
      const badTime = await t.admin('POST', '/time', { advanceMs: -1 });
      expectError(
        { ...badTime, json: { ...(badTime.json as object), problems: undefined } },
        400,
        /advanceMs/,
      );
      const badFaults = await t.admin('PUT', '/faults', [
        { type: 'boom' },
        { type: 'error', probability: 2 },
      ]);
      expectError({ ...badFaults, json: { ...(badFaults.json as object), problems: undefined } }, 400);
      expect((badFaults.json as { problems: unknown[] }).problems.length).toBeGreaterThanOrEqual(2);
      expect((await t.admin('PUT', '/limits', { perMinute: { limit: 1 } })).status).toBe(200);
      expect((await t.api('POST', '/thread')).status).toBe(200);
      expect((await t.api('POST', '/thread')).status).toBe(429);
      expect((await t.admin('POST', '/reset')).status).toBe(200);
      expect((await t.api('POST', '/thread')).status).toBe(200);
      expect((await t.ledger()).requests).toHaveLength(1);
      expectError(await t.admin('GET', '/nope'), 404, /Routes:/);
      expectError(await t.admin('GET', '/ledger?since=x'), 400);
    },
  },
];

const faultCases: Case[] = [
  {
    name: 'injected 503 with Retry-After and 500 without it arrive as error bodies',
    async run(t) {
      await t.admin('PUT', '/faults', [{ type: 'error', status: 503, retryAfterSec: 7, route: 'getThread' }]);
      const res = await t.api('GET', '/thread/x');
      expectError(res, 503);
      expect(res.headers.get('retry-after')).toBe('7');
      await t.admin('PUT', '/faults', [{ type: 'error', status: 500 }]);
      const plain = await t.api('GET', '/thread/x');
      expectError(plain, 500);
      expect(plain.headers.get('retry-after')).toBeNull();
    },
  },
  {
    name: 'malformed-body fault: 200 whose body is not JSON',
    async run(t) {
      const id = await t.createThread();
      await t.admin('PUT', '/faults', [{ type: 'malformed' }]);
      const res = await t.api('GET', `/thread/${id}`);
      expect(res.status).toBe(200);
      expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
    },
  },
  {
    name: 'reset and empty faults make fetch reject with a TypeError; no effect is applied',
    async run(t) {
      for (const type of ['reset', 'empty']) {
        await t.admin('PUT', '/faults', [{ type }]);
        await expect(t.api('POST', '/thread')).rejects.toThrow(TypeError);
      }
      expect(effects(await t.ledger(), 'thread_created')).toHaveLength(0);
    },
  },
  {
    name: 'stall fault: the request never completes and an AbortSignal timeout ends it',
    async run(t) {
      await t.admin('PUT', '/faults', [{ type: 'stall', route: 'getThread' }]);
      await expect(t.api('GET', '/thread/x', { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
    },
  },
  {
    name: 'dribble fault: the whole body still arrives and parses; truncate fault: reading the body fails',
    async run(t) {
      const id = await t.createThread();
      const expected = (await t.api('GET', `/thread/${id}`)).json;
      await t.admin('PUT', '/faults', [{ type: 'dribble', chunkBytes: 64, intervalMs: 1 }]);
      expect((await t.api('GET', `/thread/${id}`)).json).toEqual(expected);
      await t.admin('PUT', '/faults', [{ type: 'truncate' }]);
      await expect(t.api('GET', `/thread/${id}`)).rejects.toThrow();
    },
  },
  {
    name: 'afterEffect reset: the client sees a failure but the ledger has the effect',
    async run(t) {
      await t.admin('PUT', '/faults', [{ type: 'reset', afterEffect: true, route: 'createThread' }]);
      await expect(t.api('POST', '/thread')).rejects.toThrow(TypeError);
      const ledger = await t.ledger();
      expect(effects(ledger, 'thread_created')).toHaveLength(1);
      expect(ledger.requests[0]).toMatchObject({ fault: 'reset', route: 'createThread' });
    },
  },
];

const CASES: Case[] = [
  ...threadCases,
  ...sendCases,
  ...listCases,
  ...authCases,
  ...rateCases,
  ...sessionCases,
  ...idempotencyCases,
  ...ledgerCases,
  ...routingCases,
  ...adminCases,
  ...faultCases,
];

// ---- running the table on both faces -------------------------------------------------------

describe.each(FACES)('$name face', (face) => {
  let inst: FaceInstance | null = null;
  beforeAll(() => face.setup());
  afterAll(() => face.teardown());
  afterEach(async () => {
    await inst?.close();
    inst = null;
  });

  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const clock = manualClock(T0);
        inst = await face.start({ ...BASE_CONFIG, ...c.config }, clock);
        await c.run({ ...client(inst), clock, inst });
      },
      c.timeoutMs,
    );
  }
});

// ---- byte-for-byte parity -----------------------------------------------------------------

describe('the core only (the full count by real sends, with no face in the way)', () => {
  // Both faces map the limit's 429 the same way (the table's case on a thread seeded with 9,999
  // messages); this one shows the count itself is made by real sends: 10,000 of them through
  // the simulator's handler, as each face calls it, instead of 10,000 through MSW (8 s).
  it('real messages-per-session limit by real sends: 10,000 POSTs are stored, the 10,001st → 429', () => {
    const sim = createSimulator({ ...BASE_CONFIG, limits: ROOMY_LIMITS }, { clock: manualClock(T0) });
    const headers: Record<string, string> = { 'api-key': API_KEY, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) =>
      sim.handle({ method: 'POST', path: `/api/public${path}`, query: '', header: (n) => headers[n], body });
    const created = post('/thread', {});
    expect(created.status, created.body).toBe(200);
    const { id } = JSON.parse(created.body!) as { id: string };
    const body = { content: 'hi' };
    const statuses = Array.from({ length: 10_000 }, () => post(`/thread/${id}/messages`, body).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const over = post(`/thread/${id}/messages`, body);
    expect(over.status, over.body).toBe(429);
    expect(JSON.parse(over.body!)).toMatchObject({
      statusCode: 429,
      message: expect.stringMatching(/10000 per session/),
    });
    expect(effects(sim.ledger(), 'message_stored')).toHaveLength(10_000);
  });
});

/** Headers that belong to the connection (node's http adds them), not to the simulator's answer. */
const TRANSPORT_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);

describe('every face', () => {
  /** A session touching every route and several errors; returns what a client observes. */
  async function observe(face: typeof httpFace): Promise<unknown[]> {
    face.setup();
    const clock = manualClock(T0);
    const inst = await face.start({ ...BASE_CONFIG, limits: { perMinute: { limit: 8 } } }, clock);
    const t = client(inst);
    const seen: unknown[] = [];
    const record = (res: Awaited<ReturnType<typeof t.api>>) => {
      const headers = [...res.headers.entries()].filter(([name]) => !TRANSPORT_HEADERS.has(name));
      seen.push({ status: res.status, headers: headers.sort(), body: res.text });
    };
    try {
      const created = await t.api('POST', '/thread', { body: { message: 'What is 2+2?' } });
      record(created);
      const id = (created.json as { id: string }).id;
      record(await t.api('POST', `/thread/${id}/messages`, { body: { content: 'and 3*3?' } }));
      clock.advance(REPLY_DELAY_MS);
      record(await t.api('GET', `/thread/${id}`));
      record(await t.api('GET', `/thread/${id}/messages?order=desc&limit=3`));
      record(await t.api('POST', `/thread/${id}/messages`, { body: { content: '' } }));
      record(await t.api('GET', '/thread/nope'));
      record(await t.api('DELETE', '/thread'));
      record(await t.api('GET', '/thread', { key: 'bad' }));
      for (let i = 0; i < 4; i++) record(await t.api('GET', `/thread/${id}/messages?limit=${i + 1}`));
      // The instance id is random per simulator (so it differs between the faces); the rest must match.
      const { instanceId, ...ledger } = await t.ledger();
      expect(instanceId).toBe(inst.simulator.instanceId);
      seen.push(ledger);
    } finally {
      await inst.close();
      face.teardown();
    }
    return seen;
  }

  /** 30 requests under seeded faults; returns the ledger's fault, delay and status columns. */
  async function faultColumns(face: typeof httpFace) {
    face.setup();
    const faults = [
      { type: 'latency', probability: 0.5, delay: { type: 'uniform', minMs: 0, maxMs: 2 } },
      { type: 'error', status: 503, probability: 0.2 },
      { type: 'malformed', probability: 0.15 },
      { type: 'reset', probability: 0.1 },
      { type: 'rate-limit', probability: 0.1 },
    ];
    const inst = await face.start({ seed: 99, limits: false, faults }, manualClock(T0));
    try {
      const t = client(inst);
      inst.simulator.seedThread({ id: 'f' });
      for (let i = 0; i < 30; i++) {
        const call =
          i % 3 === 0
            ? t.api('POST', '/thread/f/messages', { body: { content: `n${i}` } })
            : t.api('GET', i % 3 === 1 ? '/thread/f' : '/thread/f/messages');
        await call.catch(() => undefined);
      }
      return (await t.ledger()).requests.map((r) => [r.fault, r.delayMs, r.status]);
    } finally {
      await inst.close();
      face.teardown();
    }
  }

  it('the same seed and request sequence inject the same faults and delays on every face', async () => {
    const overHttp = await faultColumns(httpFace);
    const overMsw = await faultColumns(mswFace);
    const overNock = await faultColumns(nockFace);
    expect(overMsw).toEqual(overHttp);
    expect(overNock).toEqual(overHttp);
    expect(new Set(overHttp.map(([fault]) => fault)).size).toBeGreaterThan(2);
  });

  it('the same session with the same seed and clock gets identical statuses, headers, bodies and ledgers from every face', async () => {
    const overHttp = await observe(httpFace);
    const overMsw = await observe(mswFace);
    const overNock = await observe(nockFace);
    expect(overMsw).toEqual(overHttp);
    expect(overNock).toEqual(overHttp);
    expect(overHttp).toHaveLength(13);
  });
});
