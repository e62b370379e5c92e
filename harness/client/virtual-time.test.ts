import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../engine/clock-virtual.js';
import { seededRandom } from '../util/random.js';
import { createNexusClient, type NexusClient } from './client.js';
import { isTimeoutError } from './errors.js';
import type { NexusClientOptions } from './options.js';
import { timersFromClock } from './timers.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

/**
 * The client on a virtual clock (the engine's: time jumps to the next timer whenever everything
 * waits), over an in-process transport that answers from a script and reads the clock when it
 * is called. Every wait of the client must be on the injected timers for these to finish at
 * all; what they assert is the virtual time of each attempt, never the wall clock.
 */

const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
const KEY = 'sk-virtual-time-key';

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Service time, virtual ms, before the headers arrive. */
  serviceMs?: number;
}

interface Sent {
  atMs: number;
  method: string;
  path: string;
}

function scripted(clock: VirtualClock, answers: Answer[]): Transport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    name: 'scripted',
    sent,
    async send(request: TransportRequest): Promise<TransportResponse> {
      sent.push({ atMs: clock.now(), method: request.method, path: request.path });
      const answer = answers.shift() ?? { status: 200, body: '{"id":"t1","success":true}' };
      if (answer.serviceMs !== undefined) await clock.sleepUntil(clock.now() + answer.serviceMs);
      const headers = answer.headers ?? {};
      request.onHeaders?.(answer.status, headers);
      return { status: answer.status, headers, body: answer.body ?? '{"success":true}' };
    },
    stats: () => ({ connected: 0, running: 0, pending: 0 }),
    close: async () => {},
  };
}

let clients: NexusClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function virtualClient(clock: VirtualClock, transport: Transport, options: NexusClientOptions = {}) {
  const client = createNexusClient({
    apiKey: KEY,
    baseUrl: 'http://127.0.0.1:9/api/public',
    transport,
    // bottleneck's budgets run on the real clock (see timers.ts): concurrency only, no bottleneck.
    rateLimit: { maxConcurrent: 4, perMinute: false, perHour: false },
    timers: timersFromClock(clock),
    ...options,
  });
  clients.push(client);
  return client;
}

const errorBody = (status: number) => JSON.stringify({ statusCode: status, message: 'x', error: 'y' });

describe('the client on a virtual clock', () => {
  it('waits out a 429 with Retry-After: 30 in virtual time, then succeeds', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, [
      { status: 429, headers: { 'retry-after': '30' }, body: errorBody(429) },
      { status: 200, body: '{"id":"t1","status":"active"}' },
    ]);
    const client = virtualClient(clock, transport);

    const session = await client.getSession('t1');

    expect(session).toEqual({ id: 't1', status: 'active' });
    // 30 s of Retry-After plus the gate's 50 ms clock margin, all of it virtual.
    expect(transport.sent.map((s) => s.atMs - T0)).toEqual([0, 30_050]);
    expect(clock.now() - T0).toBe(30_050);
    expect(client.rateLimitState().pausedUntilMs).toBe(T0 + 30_050);
  });

  it('pauses the whole key: an operation started during the pause waits for the same reset', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, [
      { status: 429, headers: { 'retry-after': '30' }, body: errorBody(429), serviceMs: 10 },
    ]);
    const client = virtualClient(clock, transport);

    const first = client.getSession('t1');
    await clock.sleepUntil(T0 + 1_000);
    const second = client.getSession('t2');
    await Promise.all([first, second]);

    // The 429 arrived at T0 + 10; both retries go at its Retry-After + margin.
    expect(transport.sent.map((s) => [s.path.split('/').pop(), s.atMs - T0])).toEqual([
      ['t1', 0],
      ['t1', 30_060],
      ['t2', 30_060],
    ]);
  });

  it('backs off by exactly the delays the retry policy chose, in virtual time', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, [
      { status: 503, body: errorBody(503) },
      { status: 500, body: errorBody(500) },
      { status: 502, body: errorBody(502), serviceMs: 7 },
      { status: 200, body: '{"id":"t1"}' },
    ]);
    const delays: number[] = [];
    const client = virtualClient(clock, transport, {
      random: seededRandom(10),
      retry: { backoff: { baseMs: 1_000, capMs: 8_000 } },
      hooks: { onRetryScheduled: (e) => delays.push(e.delayMs) },
    });

    await client.getSession('t1');

    expect(delays).toHaveLength(3);
    const starts = transport.sent.map((s) => s.atMs);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Each retry went exactly its backoff after the previous answer (the third took 7 ms).
    expect(gaps).toEqual([delays[0], delays[1], 7 + delays[2]!]);
    // Full jitter under the growing ceiling: 0–1 s, 0–2 s, 0–4 s.
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1_000 * 2 ** i);
    });
  });

  it('waits at least a 503 Retry-After on the virtual clock', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, [
      { status: 503, headers: { 'retry-after': '12' }, body: errorBody(503) },
    ]);
    const client = virtualClient(clock, transport, { random: () => 0.5 });

    await client.getSession('t1');

    expect(transport.sent.map((s) => s.atMs - T0)).toEqual([0, 12_000]);
  });

  it('times waitForReply out at its virtual deadline, polling with growing pauses', async () => {
    const clock = createVirtualClock(T0);
    const transport: Transport & { sent: Sent[] } = scripted(clock, []);
    transport.send = async (request) => {
      transport.sent.push({ atMs: clock.now(), method: request.method, path: request.path });
      return { status: 200, headers: {}, body: '[]' };
    };
    const client = virtualClient(clock, transport, { random: () => 0.5 });

    const error = await client.waitForReply('t1', { timeoutMs: 10_000 }).catch((e: unknown) => e);

    expect(isTimeoutError(error)).toBe(true);
    expect(clock.now() - T0).toBe(10_000);
    const polls = transport.sent.map((s) => s.atMs - T0);
    expect(polls.at(-1)).toBe(10_000);
    const gaps = polls.slice(2).map((t, i) => t - polls[i + 1]!);
    // Equal jitter at 0.5: three quarters of 250 ms, growing by 1.5 up to 2 s, the last one cut at the deadline.
    expect(gaps.slice(0, 3)).toEqual([187.5, 281.25, 421.875]);
    expect(Math.max(...gaps)).toBe(1_500);
  });

  it('flushes a batched send after maxWaitMs of virtual time', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, [{ status: 200, body: '{"success":true}' }]);
    const client = virtualClient(clock, transport, { batching: { maxWaitMs: 40, maxBatchSize: 10 } });

    await clock.sleepUntil(T0 + 5);
    await client.sendMessage('t1', 'hello');

    expect(transport.sent.map((s) => [s.method, s.atMs - T0])).toEqual([['POST', 45]]);
  });

  it('bounds close({ timeoutMs }) on the virtual clock while an attempt never answers', async () => {
    const clock = createVirtualClock(T0);
    const transport = scripted(clock, []);
    transport.send = () => new Promise<TransportResponse>(() => {});
    const client = createNexusClient({
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:9/api/public',
      transport,
      rateLimit: false,
      timers: timersFromClock(clock),
    });
    void client.getSession('t1').catch(() => {});

    await client.close({ timeoutMs: 5_000 });

    expect(clock.now() - T0).toBe(5_000);
  });
});
