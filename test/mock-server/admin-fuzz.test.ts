/**
 * The admin API never answers 5xx and is never left broken: generated admin calls (fast-check,
 * fixed seed) with values at and past every bound — huge, negative, fractional, non-finite
 * numbers, wrong types, bodies nested far too deep — on both faces. Each call must get a 200
 * (valid input) or a JSON 4xx, and after each, the mock must still serve a normal request
 * and report valid dates.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../mock-server/core/clock.js';
import { MAX_JSON_DEPTH } from '../../mock-server/core/json-body.js';
import { API_KEY, send, T0 } from './client.js';
import { FACES, type FaceInstance } from './faces.js';

/** The configuration every run starts from (and is reset to). */
const BASE = { seed: 1, limits: false };

/** A number drawn to hit bounds: extremes, negatives, fractions, and the plain ones. */
const num = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 1e300, -1e300, 1e15, 8.64e15, 2 ** 31, 2 ** 53, 3.2e11, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** Any value a JSON body may hold in a field, numbers weighted towards the bounds. */
const anyValue = fc.oneof(num, fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }), fc.constant(null));

const distribution = fc.oneof(
  fc.record({ type: fc.constant('fixed'), ms: num }),
  fc.record({ type: fc.constant('uniform'), minMs: num, maxMs: num }),
  fc.record({ type: fc.constant('lognormal'), medianMs: num, sigma: num }),
  anyValue,
);
const window = fc.oneof(fc.record({ startMs: num, endMs: num }), anyValue);
const faultRule = fc.record(
  {
    type: fc.constantFrom(
      'latency',
      'error',
      'reset',
      'empty',
      'stall',
      'dribble',
      'truncate',
      'malformed',
      'outage',
      'rate-limit',
      'nope',
    ),
    probability: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), num),
    route: fc.constantFrom('*', 'createThread', 'getThread', 'sendMessage', 'listMessages', 'x'),
    status: fc.oneof(fc.constantFrom(500, 502, 503), num),
    delay: distribution,
    retryAfterSec: num,
    window,
    chunkBytes: num,
    intervalMs: num,
    afterEffect: fc.oneof(fc.boolean(), anyValue),
  },
  { requiredKeys: ['type'] },
);
const requestWindow = fc.oneof(fc.record({ limit: num, windowMs: num }, { requiredKeys: [] }), anyValue);
const limits = fc.oneof(
  fc.constant(false),
  fc.record(
    { perMinute: requestWindow, perHour: requestWindow, concurrentSessions: num, messagesPerSession: num },
    { requiredKeys: [] },
  ),
  anyValue,
);
const config = fc.record(
  {
    seed: num,
    limits,
    retryAfterHeader: fc.oneof(fc.boolean(), anyValue),
    maxMessageLength: num,
    sessionTtlMs: num,
    assistant: fc.oneof(fc.record({ delay: distribution }), anyValue),
    faults: fc.oneof(fc.array(faultRule, { maxLength: 3 }), anyValue),
    maxBodyBytes: num,
    ledgerCapacity: num,
    apiKeys: fc.oneof(
      fc.constant([API_KEY]),
      fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const seedThread = fc.record(
  {
    apiKey: fc.oneof(fc.constant(API_KEY), fc.string({ maxLength: 6 })),
    id: fc.oneof(fc.string({ maxLength: 10 }), anyValue),
    status: fc.constantFrom('ACTIVE', 'EXPIRED', 'CLOSED', 'x'),
    topic: anyValue,
    messages: fc.oneof(
      fc.array(
        fc.record({ type: fc.constantFrom('user', 'assistant', 'tool', 'system', 'x'), content: anyValue }),
        { maxLength: 3 },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);

/** Bodies nested deeper than any validator should see: arrays, objects, and a mix. */
const deepBody = fc
  .tuple(fc.integer({ min: MAX_JSON_DEPTH + 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) =>
    open === '[' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${open.repeat(depth)}1${'}'.repeat(depth)}`,
  );

interface AdminCall {
  method: string;
  path: string;
  /** Sent as JSON; `raw` instead when the text itself is the point. */
  body?: unknown;
  raw?: string;
}

const adminCall: fc.Arbitrary<AdminCall> = fc.oneof(
  fc.record({ method: fc.constant('POST'), path: fc.constant('/time'), body: fc.record({ advanceMs: num }) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/time'), body: anyValue }),
  fc.record({ method: fc.constant('PUT'), path: fc.constant('/limits'), body: limits }),
  fc.record({
    method: fc.constant('PUT'),
    path: fc.constant('/faults'),
    body: fc.array(faultRule, { maxLength: 3 }),
  }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/reset'), body: config }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/threads'), body: seedThread }),
  fc.record({
    method: fc.constant('GET'),
    path: fc
      .oneof(fc.string({ maxLength: 12 }), num.map(String))
      .map((s) => `/ledger?since=${encodeURIComponent(s)}`),
  }),
  fc.record({
    method: fc.constantFrom('POST', 'PUT'),
    path: fc.constantFrom('/time', '/limits', '/faults', '/reset', '/threads'),
    raw: fc.oneof(deepBody, fc.string({ maxLength: 40 })),
  }),
  fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
    path: fc.oneof(
      fc.constantFrom('/health', '/config', '/ledger', '/', '/nope'),
      fc.string({ maxLength: 10 }).map((s) => `/${encodeURIComponent(s)}`),
    ),
  }),
);

async function call(inst: FaceInstance, c: AdminCall) {
  const options =
    c.raw !== undefined
      ? { key: null, raw: c.raw, headers: { 'content-type': 'application/json' } }
      : { key: null, body: c.body };
  return send(`${inst.origin}/__admin${c.path}`, c.method, options);
}

/** A 4xx or 5xx must carry the API's JSON error body. */
function expectJsonError(res: { status: number; json: unknown; text: string }, what: string): void {
  if (res.status < 400) return;
  expect(res.json, `${what} → ${res.text}`).toMatchObject({
    statusCode: res.status,
    message: expect.any(String),
    error: expect.any(String),
  });
}

/** The mock still works: no 5xx, valid dates, a thread can be created with a configured key. */
async function expectStillServing(inst: FaceInstance, what: string): Promise<void> {
  const cleared = await send(`${inst.origin}/__admin/faults`, 'PUT', { key: null, body: [] });
  expect(cleared.status, `${what}: clearing faults → ${cleared.text}`).toBe(200);
  const health = await send(`${inst.origin}/__admin/health`, 'GET', { key: null });
  expect(health.status, `${what}: health → ${health.text}`).toBe(200);
  expect(Number.isNaN(Date.parse((health.json as { now: string }).now)), what).toBe(false);
  const key = inst.simulator.config.apiKeys[0]!;
  const created = await send(`${inst.url}/thread`, 'POST', { key, body: {} });
  expect(created.status, `${what}: POST /thread → ${created.text}`).toBeLessThan(500);
  if (created.status === 200) {
    const id = (created.json as { id: string }).id;
    const got = await send(`${inst.url}/thread/${id}`, 'GET', { key });
    expect(got.status, `${what}: GET /thread/{id} → ${got.text}`).toBe(200);
    expect(Number.isNaN(Date.parse((got.json as { createdAt: string }).createdAt)), what).toBe(false);
  }
  const ledger = await send(`${inst.origin}/__admin/ledger`, 'GET', { key: null });
  expect(ledger.status, `${what}: ledger → ${ledger.text.slice(0, 200)}`).toBe(200);
}

for (const face of FACES) {
  describe(`admin API fuzz (${face.name} face)`, () => {
    let inst: FaceInstance;
    beforeAll(async () => {
      face.setup();
      inst = await face.start(BASE, manualClock(T0));
    });
    afterAll(async () => {
      await inst.close();
      face.teardown();
    });

    it('generated admin calls get 200 or a JSON 4xx, never 5xx, and leave the mock serving', async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(adminCall, { minLength: 1, maxLength: 4 }), async (calls) => {
          inst.simulator.reset(BASE);
          for (const c of calls) {
            const what = `${c.method} /__admin${c.path} ${c.raw?.slice(0, 60) ?? JSON.stringify(c.body)?.slice(0, 200)}`;
            const res = await call(inst, c);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(res.status, `${what} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
            expectJsonError(res, what);
            await expectStillServing(inst, what);
          }
        }),
        { seed: 9, numRuns: 100, endOnFailure: true },
      );
      console.info(
        `admin fuzz (${face.name}): statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
      );
      // The generators reach both outcomes, so the property is not vacuous.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(20);
    }, 60_000);

    it('the cases that once broke the mock: a huge advanceMs, deep JSON on admin and public routes', async () => {
      for (const advanceMs of [1e300, 8.64e15, 1.5, -1, '5']) {
        const res = await send(`${inst.origin}/__admin/time`, 'POST', { key: null, body: { advanceMs } });
        expect(res.status, `advanceMs ${advanceMs} → ${res.text}`).toBe(400);
        await expectStillServing(inst, `advanceMs ${advanceMs}`);
      }
      const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
      inst.simulator.reset({ ...BASE, maxBodyBytes: 200_000 });
      for (const path of ['/__admin/reset', '/__admin/faults', '/__admin/threads']) {
        const res = await send(`${inst.origin}${path}`, path.endsWith('faults') ? 'PUT' : 'POST', {
          key: null,
          raw: deep,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${path} → ${res.text}`).toBe(400);
        expect(res.json).toMatchObject({ message: expect.stringMatching(/nested deeper than 64/) });
      }
      for (const path of ['/thread', '/thread/t-1/messages']) {
        const res = await send(`${inst.url}${path}`, 'POST', {
          raw: deep,
          headers: { 'content-type': 'application/json', 'idempotency-key': 'deep' },
        });
        expect(res.status, `${path} → ${res.text}`).toBe(400);
        expect(res.json).toMatchObject({ message: expect.stringMatching(/nested deeper than 64/) });
      }
      // Depth 64 is still fine (and strings full of brackets do not count).
      const ok = await send(`${inst.url}/thread`, 'POST', {
        raw: JSON.stringify({ message: '['.repeat(500) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(ok.status, ok.text).toBe(200);
      await expectStillServing(inst, 'deep JSON');
    });
  });
}
