/**
 * Every injected fault, observed by a real client (Node's fetch, i.e. undici) on a real
 * loopback socket against the HTTP face; and the reproducibility of fault sequences: the same
 * seed and the same requests give the same faults, over HTTP and as a property of the core.
 * No assertion reads the wall clock: latency is checked through the ledger, time through the
 * injected clock.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type ManualClock, manualClock } from '../../mock-server/core/clock.js';
import { createSimulator } from '../../mock-server/core/simulator.js';
import type { LedgerSnapshot, SimRequest } from '../../mock-server/core/types.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, client, expectError, T0 } from './client.js';

let server: RunningMockServer | null = null;
let clock: ManualClock;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(config: Record<string, unknown> = {}) {
  clock = manualClock(T0);
  server = await startMockServer({ config: { seed: 3, ...config }, clock, shutdownGraceMs: 200 });
  return { ...client({ ...server, close: server.close }), url: server.url };
}

/** A fetch to the mock with the API key, for tests that need the raw Response. */
function raw(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server!.url}${path}`, { ...init, headers: { 'api-key': API_KEY, ...init.headers } });
}

/** The fetch rejection's cause code (undici puts the socket error in `cause`). */
async function failureCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return ((error as Error).cause as { code?: string } | undefined)?.code;
  }
  throw new Error('Expected the request to fail, but it succeeded.');
}

const faultColumn = (ledger: LedgerSnapshot) => ledger.requests.map((r) => r.fault);

describe('connection faults on a real socket', () => {
  it('reset: fetch rejects with cause ECONNRESET, and no effect is applied', async () => {
    const t = await start({ faults: [{ type: 'reset', route: 'createThread' }] });
    expect(await failureCode(raw('/thread', { method: 'POST' }))).toBe('ECONNRESET');
    const ledger = await t.ledger();
    expect(ledger.requests.map((r) => [r.route, r.fault])).toEqual([['createThread', 'reset']]);
    expect(ledger.effects).toEqual([]);
    // The server is unharmed: other routes (and new connections) are answered.
    expect((await t.api('GET', '/thread/x')).status).toBe(404);
  });

  it('empty: the connection closes before any byte of response; fetch rejects with UND_ERR_SOCKET "other side closed"', async () => {
    const t = await start({ faults: [{ type: 'empty', route: 'getThread' }] });
    const failure = raw('/thread/x');
    await expect(failure).rejects.toMatchObject({
      cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' },
    });
    expect(faultColumn(await t.ledger())).toEqual(['empty']);
  });

  it('stall: the request is still pending well after it arrived, and AbortSignal.timeout ends it', async () => {
    const t = await start({ faults: [{ type: 'stall', route: 'getThread' }] });
    const request = raw('/thread/x', { signal: AbortSignal.timeout(1_000) });
    const settled = request.then(
      () => 'settled',
      () => 'settled',
    );
    // Timers fire in deadline order, so this 150 ms check always runs before the 1 s abort.
    const state = await Promise.race([settled, new Promise((r) => setTimeout(() => r('pending'), 150))]);
    expect(state).toBe('pending');
    await expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(faultColumn(await t.ledger())).toEqual(['stall']);
  });

  it('stall: close() completes while a request is stalled, and the stalled client sees the socket close', async () => {
    await start({ faults: [{ type: 'stall' }] });
    const request = raw('/thread/x');
    const outcome = request.then(
      () => 'answered',
      (error: Error) => (error.cause as { code?: string }).code,
    );
    // Wait until the server has the request (it is in the ledger), then stop it.
    for (let i = 0; i < 1_000 && server!.simulator.ledger().requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server!.simulator.ledger().requests.map((r) => r.fault)).toEqual(['stall']);
    await server!.close();
    server = null;
    expect(await outcome).toBe('UND_ERR_SOCKET');
  });

  it('dribble: the body arrives in several chunks and the whole JSON parses', async () => {
    const t = await start();
    const id = await t.createThread('What is 2+2?');
    const expected = (await t.api('GET', `/thread/${id}`)).json;
    await t.admin('PUT', '/faults', [
      { type: 'dribble', chunkBytes: 16, intervalMs: 10, route: 'getThread' },
    ]);
    const res = await raw(`/thread/${id}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual(expected);
    expect((await t.ledger()).requests.at(-1)!.fault).toBe('dribble');
  });

  it('truncate: headers announce the full length, reading the body fails with UND_ERR_SOCKET', async () => {
    const t = await start();
    const id = await t.createThread();
    await t.admin('PUT', '/faults', [{ type: 'truncate', route: 'getThread' }]);
    const res = await raw(`/thread/${id}`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    await expect(res.text()).rejects.toMatchObject({ cause: { code: 'UND_ERR_SOCKET' } });
  });

  it('truncate applies after the effect: the POST took effect though its response was cut', async () => {
    const t = await start({ faults: [{ type: 'truncate', route: 'createThread' }] });
    const res = await raw('/thread', { method: 'POST' });
    await expect(res.text()).rejects.toThrow();
    expect((await t.ledger()).effects.map((e) => e.kind)).toEqual(['thread_created']);
  });

  it('afterEffect reset: the client gets ECONNRESET but the ledger shows the message was stored', async () => {
    const t = await start();
    const id = await t.createThread();
    await t.admin('PUT', '/faults', [{ type: 'reset', afterEffect: true, route: 'sendMessage' }]);
    const send = raw(`/thread/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'after-1' },
      body: JSON.stringify({ content: 'did it land?' }),
    });
    expect(await failureCode(send)).toBe('ECONNRESET');
    const ledger = await t.ledger();
    const stored = ledger.effects.filter((e) => e.kind === 'message_stored');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.idempotencyKey).toBe('after-1');
    expect(ledger.requests.at(-1)).toMatchObject({ route: 'sendMessage', fault: 'reset', status: 200 });
    await t.admin('PUT', '/faults', []);
    expect((await t.api('GET', `/thread/${id}/messages`)).json).toHaveLength(1);
  });
});

describe('retrying through a lost response', () => {
  it('afterEffect reset, then a retry with the same Idempotency-Key: replayed with the first answer, still one effect', async () => {
    const t = await start();
    await t.admin('PUT', '/faults', [{ type: 'reset', afterEffect: true, route: 'createThread' }]);
    const headers = { 'idempotency-key': 'create-after-reset' };
    expect(await failureCode(raw('/thread', { method: 'POST', headers }))).toBe('ECONNRESET');
    await t.admin('PUT', '/faults', []);
    const retry = await t.api('POST', '/thread', { headers });
    expect(retry.status).toBe(200);
    const ledger = await t.ledger();
    const created = ledger.effects.filter((e) => e.kind === 'thread_created');
    expect(created).toHaveLength(1);
    expect((retry.json as { id: string }).id).toBe(created[0]!.threadId);
    expect(ledger.requests.map((r) => [r.fault, r.replayed])).toEqual([
      ['reset', false],
      [null, true],
    ]);
  });
});

describe('response faults on a real socket', () => {
  it('malformed: 200 with a JSON content type whose body fails JSON.parse', async () => {
    const t = await start({ faults: [{ type: 'malformed', route: 'createThread' }] });
    const res = await raw('/thread', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(faultColumn(await t.ledger())).toEqual(['malformed']);
  });

  for (const status of [500, 502, 503] as const) {
    it(`error ${status}: the error body, with Retry-After when configured and without it otherwise`, async () => {
      const t = await start({ faults: [{ type: 'error', status, retryAfterSec: 12 }] });
      const withHeader = await t.api('GET', '/thread/x');
      expectError(withHeader, status);
      expect(withHeader.headers.get('retry-after')).toBe('12');
      await t.admin('PUT', '/faults', [{ type: 'error', status }]);
      const without = await t.api('GET', '/thread/x');
      expectError(without, status);
      expect(without.headers.get('retry-after')).toBeNull();
      expect(faultColumn(await t.ledger())).toEqual(['error', 'error']);
    });
  }

  it('outage window (clock): 200 before it, 503 + Retry-After inside it, 200 after it', async () => {
    const t = await start({
      faults: [{ type: 'outage', window: { startMs: 60_000, endMs: 120_000 }, retryAfterSec: 30 }],
    });
    const id = await t.createThread();
    expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    clock.advance(60_000);
    const down = await t.api('GET', `/thread/${id}`);
    expectError(down, 503, /outage/);
    expect(down.headers.get('retry-after')).toBe('30');
    clock.advance(59_999);
    expect((await t.api('GET', `/thread/${id}`)).status).toBe(503);
    clock.advance(1);
    expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    expect(faultColumn(await t.ledger())).toEqual([null, null, 'outage', 'outage', null]);
  });

  it('rate-limit storm: a forced 429 with the error body, Retry-After and X-RateLimit-* though the budget is untouched', async () => {
    const t = await start({
      faults: [{ type: 'rate-limit', retryAfterSec: 5, window: { startMs: 0, endMs: 1_000 } }],
    });
    const res = await t.api('GET', '/thread/x');
    expectError(res, 429, /injected/);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(T0 / 1000 + 5));
    clock.advance(1_000);
    const after = await t.api('GET', '/thread/x');
    expect(after.status).toBe(404);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('59');
  });

  it('latency: fixed delays (summed over matching rules) are recorded in the ledger as delayMs; the response is intact', async () => {
    const t = await start({
      faults: [
        { type: 'latency', delay: { type: 'fixed', ms: 30 } },
        { type: 'latency', route: 'getThread', delay: { type: 'fixed', ms: 15 } },
      ],
    });
    const id = await t.createThread();
    expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    const ledger = await t.ledger();
    expect(ledger.requests.map((r) => [r.route, r.delayMs, r.fault])).toEqual([
      ['createThread', 30, null],
      ['getThread', 45, null],
    ]);
  });

  it('latency: uniform and log-normal delays stay within their bounds / are positive', async () => {
    const t = await start({
      faults: [
        { type: 'latency', route: 'getThread', delay: { type: 'uniform', minMs: 5, maxMs: 25 } },
        { type: 'latency', route: 'listMessages', delay: { type: 'lognormal', medianMs: 5, sigma: 0.5 } },
      ],
    });
    for (let i = 0; i < 5; i++) {
      await t.api('GET', '/thread/x');
      await t.api('GET', '/thread/x/messages');
    }
    const requests = (await t.ledger()).requests;
    for (const r of requests.filter((x) => x.route === 'getThread')) {
      expect(r.delayMs).toBeGreaterThanOrEqual(5);
      expect(r.delayMs).toBeLessThanOrEqual(25);
    }
    for (const r of requests.filter((x) => x.route === 'listMessages')) expect(r.delayMs).toBeGreaterThan(0);
  });

  it('a route-scoped rule leaves the other routes alone', async () => {
    const t = await start({ faults: [{ type: 'error', status: 500, route: 'sendMessage' }] });
    const id = await t.createThread();
    expect((await t.api('GET', `/thread/${id}`)).status).toBe(200);
    expectError(await t.api('POST', `/thread/${id}/messages`, { body: { content: 'hi' } }), 500);
    expect((await t.api('GET', `/thread/${id}/messages`)).status).toBe(200);
  });
});

// ---- reproducibility -------------------------------------------------------------------------

const MIXED_RULES = [
  { type: 'latency', probability: 0.5, delay: { type: 'uniform', minMs: 0, maxMs: 3 } },
  { type: 'error', status: 503, probability: 0.15 },
  { type: 'malformed', probability: 0.1 },
  { type: 'reset', probability: 0.1 },
  { type: 'empty', probability: 0.05 },
  { type: 'error', status: 502, probability: 0.1, retryAfterSec: 1 },
];

/** 40 requests over a real socket; returns the ledger's fault and delay columns. */
async function faultRun(seed: number): Promise<{ faults: (string | null)[]; delays: number[] }> {
  const t = await start({ seed, limits: false, faults: MIXED_RULES });
  const thread = server!.simulator.seedThread({ id: 'fixed-thread' });
  for (let i = 0; i < 40; i++) {
    const request =
      i % 2 === 0
        ? t.api('GET', `/thread/${thread.id}`)
        : t.api('POST', `/thread/${thread.id}/messages`, { body: { content: `n${i}` } });
    await request.catch(() => undefined);
  }
  const ledger = await t.ledger();
  await server!.close();
  server = null;
  return { faults: faultColumn(ledger), delays: ledger.requests.map((r) => r.delayMs) };
}

describe('reproducible fault sequences', () => {
  it('over HTTP, the same seed and requests give the same fault sequence; another seed gives another', async () => {
    const first = await faultRun(5);
    const second = await faultRun(5);
    const other = await faultRun(6);
    expect(first.faults).toHaveLength(40);
    expect(second).toEqual(first);
    expect(new Set(first.faults).size).toBeGreaterThan(2); // the run really mixed several faults
    expect(other.faults).not.toEqual(first.faults);
  });

  it('replacing the fault rules through the admin API restarts the dice: the sequence repeats', async () => {
    const t = await start({ limits: false });
    const round = async () => {
      await t.admin('PUT', '/faults', [{ type: 'error', status: 500, probability: 0.4 }]);
      const since = (await t.ledger()).lastSeq;
      for (let i = 0; i < 20; i++) await t.api('GET', '/thread/x');
      return faultColumn(await t.ledger(since));
    };
    const a = await round();
    const b = await round();
    expect(b).toEqual(a);
    expect(a).toContain('error');
    expect(a).toContain(null);
  });
});

const ROUTE_CALLS = [
  { method: 'POST', path: '/api/public/thread', body: {} },
  { method: 'GET', path: '/api/public/thread/t1', body: undefined },
  { method: 'POST', path: '/api/public/thread/t1/messages', body: { content: 'hello' } },
  { method: 'GET', path: '/api/public/thread/t1/messages', body: undefined },
] as const;

/** Runs a request sequence on the core directly and returns the fault column. */
function coreFaults(config: Record<string, unknown>, sequence: readonly number[], content = 'hello') {
  const sim = createSimulator({ limits: false, ...config }, { clock: manualClock(T0) });
  sim.seedThread({ id: 't1' });
  const headers: Record<string, string> = { 'api-key': API_KEY, 'content-type': 'application/json' };
  for (const index of sequence) {
    const call = ROUTE_CALLS[index]!;
    const body = call.body && 'content' in call.body ? { content } : call.body;
    const req: SimRequest = {
      method: call.method,
      path: call.path,
      query: '',
      header: (n) => headers[n],
      body,
    };
    sim.handle(req);
  }
  return sim.ledger().requests.map((r) => `${r.fault}:${r.delayMs}`);
}

const ruleArb = fc.oneof(
  fc.record({
    type: fc.constant('latency'),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
    delay: fc.constant({ type: 'uniform', minMs: 0, maxMs: 50 }),
  }),
  fc.record({
    type: fc.constantFrom('reset', 'empty', 'stall', 'malformed', 'truncate', 'dribble'),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({
    type: fc.constant('error'),
    status: fc.constantFrom(500, 502, 503),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

describe('reproducible fault sequences (property, core)', () => {
  it('for any seed, rules and probabilities, the same request sequence gives the same faults and delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 60 }),
        (seed, faults, sequence) => {
          const a = coreFaults({ seed, faults }, sequence);
          const b = coreFaults({ seed, faults }, sequence);
          expect(b).toEqual(a);
        },
      ),
      { seed: 20_261_123, numRuns: 150 },
    );
  });

  it('the fault dice are independent of the assistant: different message contents give the same faults', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
        (seed, faults, sequence, content) => {
          expect(coreFaults({ seed, faults }, sequence, content)).toEqual(
            coreFaults({ seed, faults }, sequence),
          );
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });

  it('probability 0 never fires and probability 1 always fires', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('reset', 'empty', 'malformed', 'error'),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }),
        (seed, type, sequence) => {
          const never = coreFaults({ seed, faults: [{ type, probability: 0 }] }, sequence);
          const always = coreFaults({ seed, faults: [{ type, probability: 1 }] }, sequence);
          expect(never.every((f) => f === 'null:0')).toBe(true);
          expect(always.every((f) => f === `${type}:0`)).toBe(true);
        },
      ),
      { seed: 99, numRuns: 60 },
    );
  });
});
