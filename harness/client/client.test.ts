import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HarnessError } from '../util/errors.js';
import { type CallOptions, createNexusClient, type NexusClient } from './client.js';
import {
  isNexusApiError,
  isRateLimitedError,
  isTimeoutError,
  isValidationError,
  NetworkError,
  TimeoutError,
} from './errors.js';
import type { ClientHooks } from './hooks.js';
import type { NexusClientOptions } from './options.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

/**
 * The client end to end over a scripted transport, on fake timers: no sockets, no wall clock.
 * Every attempt's time is read from the (fake) clock at the moment the transport is called.
 */

const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
const KEY = 'sk-test-secret-key-123';

type Step =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { error: (request: TransportRequest) => unknown };

interface Call {
  atMs: number;
  method: string;
  path: string;
  headers: Record<string, string>;
}

function scripted(steps: Step[]): Transport & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    name: 'scripted',
    calls,
    async send(request: TransportRequest): Promise<TransportResponse> {
      calls.push({
        atMs: Date.now(),
        method: request.method,
        path: request.path,
        headers: { ...request.headers },
      });
      const step = steps.shift() ?? { status: 200, body: '{"ok":true}' };
      if ('error' in step) throw step.error(request);
      const headers = step.headers ?? {};
      request.onHeaders?.(step.status, headers);
      return { status: step.status, headers, body: step.body ?? '{"success":true}' };
    },
    stats: () => ({ connected: 0, running: 0, pending: 0 }),
    close: async () => {},
  };
}

const refused = (r: TransportRequest) => new NetworkError(r.route, 'ECONNREFUSED', 'no');
const reset = (r: TransportRequest) => new NetworkError(r.route, 'ECONNRESET', 'maybe');
const connectTimeout = (r: TransportRequest) => new TimeoutError(r.route, 'connect', 5_000);
const headersTimeout = (r: TransportRequest) => new TimeoutError(r.route, 'headers', 15_000);
const errorBody = (status: number) => JSON.stringify({ statusCode: status, message: 'x', error: 'y' });

let clients: NexusClient[] = [];

function makeClient(transport: Transport, options: NexusClientOptions = {}): NexusClient {
  const client = createNexusClient({
    apiKey: KEY,
    baseUrl: 'http://127.0.0.1:9/api/public',
    transport,
    rateLimit: false,
    random: () => 0.5,
    ...options,
    retry: { budget: false, backoff: { baseMs: 100, capMs: 1_000 }, ...options.retry },
  });
  clients.push(client);
  return client;
}

/** Runs `op` for `ms` of fake time (for bottleneck, whose refresh interval never lets runAll finish). */
async function settleWithin<T>(op: Promise<T>, ms: number) {
  const outcome = op.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}

/** Runs `op` to the end, advancing fake time as needed; returns its outcome. */
async function settle<T>(op: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const outcome = op.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  clients = [];
});
afterEach(async () => {
  const closing = Promise.all(clients.map((client) => client.close()));
  await vi.advanceTimersByTimeAsync(1_000);
  await closing;
  vi.useRealTimers();
});

describe('retry classification through the client (one row each: GET, POST, POST with Idempotency-Key)', () => {
  const rows: [string, Step, boolean, boolean, boolean][] = [
    // what went wrong,        first answer,                            GET,   POST,  POST+key retried?
    ['429', { status: 429, headers: { 'retry-after': '1' }, body: errorBody(429) }, true, true, true],
    ['503', { status: 503, body: errorBody(503) }, true, true, true],
    ['500', { status: 500, body: errorBody(500) }, true, false, true],
    ['502', { status: 502, body: errorBody(502) }, true, false, true],
    ['504', { status: 504, body: errorBody(504) }, true, false, true],
    ['400', { status: 400, body: errorBody(400) }, false, false, false],
    ['404', { status: 404, body: errorBody(404) }, false, false, false],
    ['409', { status: 409, body: errorBody(409) }, false, false, false],
    ['ECONNREFUSED (not sent)', { error: refused }, true, true, true],
    ['connect timeout (not sent)', { error: connectTimeout }, true, true, true],
    ['ECONNRESET (maybe sent)', { error: reset }, true, false, true],
    ['headers timeout (maybe sent)', { error: headersTimeout }, true, false, true],
    ['2xx with a cut/unparsable body', { status: 200, body: '{"succ' }, true, false, true],
  ];

  it.each(rows)('%s → GET %s, POST %s, POST+key %s', async (_, first, get, post, postWithKey) => {
    const cases: [string, boolean, boolean][] = [
      ['GET', false, get],
      ['POST', false, post],
      ['POST', true, postWithKey],
    ];
    for (const [method, idempotencyKeys, retried] of cases) {
      const transport = scripted([first, { status: 200, body: '{"id":"t1","success":true}' }]);
      const client = makeClient(transport, { idempotencyKeys });
      const op: Promise<unknown> =
        method === 'GET' ? client.getSession('t1') : client.sendMessage('t1', 'hello');
      const outcome = await settle(op);
      expect({ method, idempotencyKeys, attempts: transport.calls.length, ok: outcome.ok }).toEqual({
        method,
        idempotencyKeys,
        attempts: retried ? 2 : 1,
        ok: retried,
      });
    }
  });
});

describe('rate limits', () => {
  it('holds the retry of a 429 until Retry-After given in seconds (whole key paused)', async () => {
    const transport = scripted([{ status: 429, headers: { 'retry-after': '2' }, body: errorBody(429) }]);
    const client = makeClient(transport, {
      rateLimit: { perMinute: false, perHour: false, clockMarginMs: 0 },
    });
    const outcome = await settleWithin(client.getSession('t1'), 5_000);
    expect(outcome.ok).toBe(true);
    // 2 s after the 429 arrived (bottleneck itself may start the first attempt a tick late).
    expect(transport.calls[1]!.atMs - transport.calls[0]!.atMs).toBe(2_000);
  });

  it('holds the retry of a 429 until Retry-After given as an HTTP date', async () => {
    const until = T0 + 3_000;
    const transport = scripted([
      { status: 429, headers: { 'retry-after': new Date(until).toUTCString() }, body: errorBody(429) },
    ]);
    const client = makeClient(transport, { rateLimit: false });
    const outcome = await settle(client.getSession('t1'));
    expect(outcome.ok).toBe(true);
    expect(transport.calls[1]!.atMs).toBeGreaterThanOrEqual(until);
    expect(transport.calls[1]!.atMs - until).toBeLessThanOrEqual(50); // the default clock margin
  });

  it('without Retry-After waits for X-RateLimit-Reset, and other operations wait too', async () => {
    const resetSec = T0 / 1_000 + 4;
    const transport = scripted([
      { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetSec) } },
    ]);
    const client = makeClient(transport);
    const first = client.getSession('a');
    await vi.advanceTimersByTimeAsync(0);
    const second = client.getSession('b'); // started during the pause
    const outcomes = await settle(Promise.all([first, second]));
    expect(outcomes.ok).toBe(true);
    expect(transport.calls.slice(1).every((c) => c.atMs >= resetSec * 1_000)).toBe(true);
  });

  it('fails fast with RateLimitedError carrying the reset time when the wait exceeds maxRateLimitWaitMs', async () => {
    const transport = scripted([{ status: 429, headers: { 'retry-after': '120' }, body: errorBody(429) }]);
    const client = makeClient(transport, { retry: { maxRateLimitWaitMs: 60_000 } });
    const outcome = await settle(client.sendMessage('t1', 'hi'));
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: unknown }).error;
    expect(isRateLimitedError(error)).toBe(true);
    if (!isRateLimitedError(error)) return;
    expect(error.status).toBe(429);
    expect(error.resetAtMs).toBe(T0 + 120_000 + 50);
    expect(error.message).toContain(new Date(T0 + 120_050).toISOString());
    expect(transport.calls).toHaveLength(1);
    // A later operation fails fast as well, without sending.
    const later = await settle(client.getSession('t1'));
    expect(isRateLimitedError((later as { error: unknown }).error)).toBe(true);
    expect(transport.calls).toHaveLength(1);
  });

  it('sends retries back through the limiter: they wait for the budget like first attempts', async () => {
    const transport = scripted([{ status: 503, body: errorBody(503) }, { status: 200 }, { status: 200 }]);
    const client = makeClient(transport, {
      rateLimit: { maxConcurrent: 10, perMinute: { limit: 2, windowMs: 1_000 }, perHour: false },
      random: () => 0,
      retry: { backoff: { baseMs: 1, capMs: 1 } },
    });
    const outcome = await settleWithin(Promise.all([client.getSession('a'), client.getSession('b')]), 5_000);
    expect(outcome.ok).toBe(true);
    expect(transport.calls).toHaveLength(3);
    // Two first attempts spent the budget of 2 per second; the retry had to wait for the refill.
    expect(transport.calls[2]!.atMs - T0).toBeGreaterThanOrEqual(1_000);
  });
});

describe('retry limits', () => {
  it('stops after maxAttempts with the last error, backing off with jitter in between', async () => {
    const transport = scripted(Array.from({ length: 5 }, () => ({ status: 500, body: errorBody(500) })));
    const client = makeClient(transport, { retry: { maxAttempts: 3 }, random: () => 0.5 });
    const outcome = await settle(client.getSession('t1'));
    expect(outcome.ok).toBe(false);
    expect(isNexusApiError((outcome as { error: unknown }).error)).toBe(true);
    // Full jitter with random 0.5: half of 100 ms, then half of 200 ms.
    expect(transport.calls.map((c) => c.atMs - T0)).toEqual([0, 50, 150]);
  });

  it('stops retrying when the retry budget is spent', async () => {
    const transport = scripted([
      { status: 500, body: errorBody(500) },
      { status: 200 },
      { status: 500, body: errorBody(500) },
    ]);
    const client = makeClient(transport, {
      retry: { budget: { ratio: 0, minRetriesPerSecond: 0.1, windowMs: 10_000 } }, // one retry per 10 s
    });
    expect((await settle(client.getSession('a'))).ok).toBe(true);
    const second = await settle(client.getSession('b'));
    expect(second.ok).toBe(false);
    expect(transport.calls).toHaveLength(3);
  });
});

describe('idempotency keys and operation ids', () => {
  it('sends one Idempotency-Key, stable across all attempts of an operation, new per operation', async () => {
    const transport = scripted([{ error: reset }, { error: reset }, { status: 200 }, { status: 200 }]);
    let n = 0;
    const client = makeClient(transport, { idempotencyKeys: true, newIdempotencyKey: () => `key-${++n}` });
    expect((await settle(client.sendMessage('t1', 'one'))).ok).toBe(true);
    expect((await settle(client.sendMessage('t1', 'two'))).ok).toBe(true);
    expect(transport.calls.map((c) => c.headers['idempotency-key'])).toEqual([
      'key-1',
      'key-1',
      'key-1',
      'key-2',
    ]);
  });

  it('sends no Idempotency-Key by default and on GETs', async () => {
    const transport = scripted([]);
    const client = makeClient(transport);
    await settle(client.sendMessage('t1', 'one'));
    const withKeys = makeClient(transport, { idempotencyKeys: true });
    await settle(withKeys.getSession('t1'));
    expect(transport.calls.map((c) => c.headers['idempotency-key'])).toEqual([undefined, undefined]);
  });

  it('sends x-harness-op only when the caller gives an op id', async () => {
    const transport = scripted([{ error: reset }]);
    const client = makeClient(transport);
    const call: CallOptions = { opId: 'op-42' };
    await settle(client.getSession('t1', call));
    await settle(client.getSession('t1'));
    expect(transport.calls.map((c) => c.headers['x-harness-op'])).toEqual(['op-42', 'op-42', undefined]);
  });
});

describe('hooks', () => {
  it('reports queued, attempt start, headers, attempt end, retry and operation end, in order', async () => {
    const events: string[] = [];
    const hooks: ClientHooks = {
      onOperationStart: (e) => events.push(`start ${e.op.name}`),
      onQueued: (e) => events.push(`queued ${e.attempt}`),
      onAttemptStart: (e) => events.push(`attempt ${e.attempt} queue=${e.queueTimeMs}`),
      onResponseHeaders: (e) => events.push(`headers ${e.status}`),
      onAttemptEnd: (e) => events.push(`end ${e.attempt} ${e.outcome} ${e.status}`),
      onRetryScheduled: (e) => events.push(`retry after ${e.delayMs} (${e.reason})`),
      onRateLimitState: (e) => events.push(`rate ${e.remaining}/${e.limit}`),
      onOperationEnd: (e) => events.push(`done ok=${e.ok} attempts=${e.attempts} ${e.durationMs}ms`),
    };
    const transport = scripted([
      {
        status: 503,
        body: errorBody(503),
        headers: {
          'x-ratelimit-limit': '10',
          'x-ratelimit-remaining': '9',
          'x-ratelimit-reset': String(T0 / 1_000 + 60),
        },
      },
    ]);
    const client = makeClient(transport, { hooks });
    await settle(client.getSession('t1'));
    expect(events).toEqual([
      'start getSession',
      'queued 1',
      'attempt 1 queue=0',
      'rate 9/10',
      'headers 503',
      'end 1 failed 503',
      'retry after 50 (status 503)',
      'queued 2',
      'attempt 2 queue=0',
      'headers 200',
      'end 2 ok 200',
      'done ok=true attempts=2 50ms',
    ]);
  });

  it('ignores a hook that throws', async () => {
    const client = makeClient(scripted([]), {
      hooks: {
        onAttemptStart: () => {
          throw new Error('recorder bug');
        },
      },
    });
    expect((await settle(client.getSession('t1'))).ok).toBe(true);
  });
});

describe('errors never contain the API key', () => {
  it('redacts the key from server bodies, messages and causes', async () => {
    const echo = JSON.stringify({
      statusCode: 401,
      message: `Invalid API key ${KEY}`,
      error: 'Unauthorized',
    });
    const transport = scripted([
      { status: 401, body: echo },
      { status: 500, body: `oops ${KEY}` },
      { error: reset },
    ]);
    const client = makeClient(transport, { retry: { maxAttempts: 1 } });
    const errors: unknown[] = [];
    for (const id of ['a', 'b', 'c']) {
      const outcome = await settle(client.getSession(id));
      expect(outcome.ok).toBe(false);
      errors.push((outcome as { error: unknown }).error);
    }
    const missingKey = (() => {
      try {
        createNexusClient({ baseUrl: 'http://127.0.0.1:9', apiKey: '' });
      } catch (err) {
        return err;
      }
    })();
    expect(HarnessError.is(missingKey) && missingKey.code === 'NH_CONFIG_INVALID').toBe(true);
    errors.push(missingKey);
    for (const error of errors) {
      const text = `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
      expect(text).not.toContain(KEY);
    }
    expect((errors[0] as { body: { message: string } }).body.message).toBe('Invalid API key [REDACTED]');
  });
});

describe('validation, abort and close', () => {
  it('rejects bad input before sending anything', async () => {
    const transport = scripted([]);
    const client = makeClient(transport, { maxMessageLength: 5 });
    const bad = [
      client.sendMessage('t1', ''),
      client.sendMessage('t1', 'too long'),
      client.sendMessage('', 'hi'),
      client.listMessages('t1', { limit: 0 }),
      client.listMessages('t1', { order: 'up' as 'asc' }),
    ];
    for (const op of bad) expect(isValidationError(await op.catch((e: unknown) => e))).toBe(true);
    expect(transport.calls).toHaveLength(0);
  });

  it('aborts during backoff with the caller’s reason', async () => {
    const transport = scripted([{ status: 503, body: errorBody(503) }]);
    const client = makeClient(transport, { retry: { backoff: { baseMs: 10_000, capMs: 10_000 } } });
    const controller = new AbortController();
    const op = client.getSession('t1', { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('user gave up'));
    expect(((await op) as Error).message).toBe('user gave up');
    expect(transport.calls).toHaveLength(1);
  });

  it('coalesces concurrent identical polls into one request', async () => {
    const transport = scripted([{ status: 200, body: '[]' }]);
    const client = makeClient(transport);
    const polls = Array.from({ length: 5 }, () => client.listMessages('t1', { after: 'm1' }));
    const outcome = await settle(Promise.all(polls));
    expect(outcome.ok).toBe(true);
    expect(transport.calls.map((c) => c.path)).toEqual(['/api/public/thread/t1/messages?after=m1']);
  });

  it('waitForReply polls after the cursor with growing pauses and times out with a TimeoutError', async () => {
    const transport = scripted(Array.from({ length: 50 }, () => ({ status: 200, body: '[]' })));
    const client = makeClient(transport, {
      polling: { initialIntervalMs: 200, maxIntervalMs: 800, factor: 2 },
    });
    const outcome = await settle(client.waitForReply('t1', { after: 'm1', timeoutMs: 3_000 }));
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: unknown }).error;
    expect(isTimeoutError(error) && error.phase === 'reply').toBe(true);
    const gaps = transport.calls.slice(1).map((c, i) => c.atMs - transport.calls[i]!.atMs);
    // Equal jitter with random 0.5: 3/4 of 200, 400, then 800 (the cap) each time.
    expect(gaps.slice(0, 4)).toEqual([150, 300, 600, 600]);
    expect(transport.calls.every((c) => c.path.includes('after=m1'))).toBe(true);
  });

  it('waitForReply returns the first assistant message after the cursor and advances it', async () => {
    const user = { id: 'm2', type: 'user', content: 'hi', createdAt: '' };
    const reply = { id: 'm3', type: 'assistant', content: 'hello', createdAt: '' };
    const transport = scripted([
      { status: 200, body: JSON.stringify([user]) },
      { status: 200, body: JSON.stringify([reply]) },
    ]);
    const client = makeClient(transport);
    const outcome = await settle(client.waitForReply('t1', { after: 'm1' }));
    expect(outcome).toEqual({ ok: true, value: reply });
    expect(transport.calls[1]!.path).toContain('after=m2');
  });

  it('close flushes the batcher, waits for operations, then refuses new ones', async () => {
    const transport = scripted([]);
    const client = makeClient(transport, { batching: { maxWaitMs: 10_000 } });
    const send = client.sendMessage('t1', 'queued');
    const closing = client.close();
    await vi.runAllTimersAsync();
    await closing;
    expect(await send).toEqual({ ok: true });
    expect(transport.calls).toHaveLength(1);
    await expect(client.getSession('t1')).rejects.toThrow(/client is closed/);
  });

  it('close({ timeoutMs }) gives up waiting after the bound, even for attempts queued behind a budget', async () => {
    const transport = scripted([]);
    const client = makeClient(transport, {
      rateLimit: { maxConcurrent: 1, perMinute: { limit: 1, windowMs: 60_000 }, perHour: false },
    });
    const first = client.getSession('t1');
    await vi.advanceTimersByTimeAsync(10);
    await first;
    // The budget is spent for a minute: this one waits in the limiter, with no signal.
    const queued = client.getSession('t2').then(
      () => 'sent',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(10);
    let closed = false;
    const closing = client.close({ timeoutMs: 500 }).then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await closing;
    expect(closed).toBe(true);
    // The queued attempt was dropped, not sent, and its caller learns why.
    expect(await queued).toMatchObject({ code: 'NH_CLIENT_CLOSED' });
    expect(transport.calls).toHaveLength(1);
  });
});
