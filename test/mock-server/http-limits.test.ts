/**
 * The HTTP face's resource bounds, over raw loopback sockets: header and request timeouts
 * (JSON 408), the connection cap (JSON 503, counted), the bound on pipelined requests, and
 * garbage after valid pipelined requests (their answers first, in order).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_LIMIT_DEFAULTS, resolveHttpLimits } from '../../mock-server/http/connections.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, send } from './client.js';

let mock: RunningMockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

/** Opens a loopback socket; collects what arrives; `closed` resolves with all of it. Bounded by `timeoutMs`. */
function open(
  port: number,
  timeoutMs = 10_000,
): { socket: Socket; ready: Promise<void>; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (data += d));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const closed = new Promise<string>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
  return { socket, ready, closed };
}

/** Status lines of every response in a raw byte stream, in order. */
const statuses = (raw: string) => [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

/** The JSON body of the last response in a raw byte stream. */
const lastBody = (raw: string) => JSON.parse(raw.slice(raw.lastIndexOf('\r\n\r\n') + 4));

const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${API_KEY}\r\ncontent-type: application/json\r\n` +
  `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const get = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${API_KEY}\r\n${extra}\r\n`;

describe('HTTP limits: settings', () => {
  it('sets every timeout and bound explicitly, with documented defaults, and checks them', async () => {
    mock = await startMockServer();
    expect(mock.httpLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
      maxPipelinedRequests: 128,
    });
    expect(HTTP_LIMIT_DEFAULTS).toEqual(mock.httpLimits);
    expect(resolveHttpLimits({ maxConnections: 20_000 }).maxConnections).toBe(20_000);
    expect(() => resolveHttpLimits({ headersTimeoutMs: 40_000 })).toThrow(/must not exceed requestTimeoutMs/);
    expect(() => resolveHttpLimits({ maxConnections: 0, keepAliveTimeoutMs: 1.5 })).toThrow(
      /maxConnections must be a positive integer.*|keepAliveTimeoutMs must be a positive integer/,
    );
  });
});

// Short timeouts (each case waits for its cut): the server checks them every
// min(1 s, headersTimeoutMs), so a cut comes at most one such check after the deadline.
describe('HTTP limits: timeouts', () => {
  it('cuts stalled headers with a JSON 408 after headersTimeoutMs', async () => {
    mock = await startMockServer({ http: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 } });
    const c = open(mock.port);
    await c.ready;
    c.socket.write('GET /api/public/thread/x HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and never the blank line
    const raw = await c.closed;
    expect(statuses(raw)).toEqual([408]);
    expect(lastBody(raw)).toMatchObject({ statusCode: 408, error: 'Request Timeout' });
  });

  it('cuts a stalled body with a JSON 408 after requestTimeoutMs', async () => {
    mock = await startMockServer({ http: { headersTimeoutMs: 500, requestTimeoutMs: 750 } });
    const c = open(mock.port);
    await c.ready;
    c.socket.write(
      `POST /api/public/thread HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${API_KEY}\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{"mes`,
    );
    const raw = await c.closed;
    expect(statuses(raw)).toEqual([408]);
    expect(mock.simulator.ledger().effects).toHaveLength(0);
  });
});

describe('HTTP limits: connections and pipelining', () => {
  it('refuses a connection over maxConnections with a JSON 503, counts it, and serves again once one closes', async () => {
    mock = await startMockServer({ http: { maxConnections: 3 } });
    const held = [open(mock.port), open(mock.port), open(mock.port)];
    await Promise.all(held.map((c) => c.ready));
    await new Promise((r) => setTimeout(r, 50)); // let the server see all three
    const extra = open(mock.port);
    await extra.ready;
    extra.socket.write(get('/api/public/thread/x'));
    const raw = await extra.closed;
    expect(statuses(raw)).toEqual([503]);
    expect(lastBody(raw)).toMatchObject({ statusCode: 503, message: expect.stringMatching(/at most 3/) });
    expect(mock.stats()).toMatchObject({ openConnections: 3, refusedConnections: 1 });
    expect(mock.simulator.ledger().requests).toHaveLength(0); // never reached the simulator
    held[0]!.socket.destroy();
    await held[0]!.closed;
    const again = open(mock.port);
    await again.ready;
    again.socket.write(get('/api/public/thread/x', 'connection: close\r\n'));
    expect(statuses(await again.closed)).toEqual([404]);
    for (const c of held) c.socket.destroy();
  });

  it('answers pipelined requests past maxPipelinedRequests with a JSON 503 (not served), then closes', async () => {
    mock = await startMockServer({
      config: { limits: false, faults: [{ type: 'latency', delay: { type: 'fixed', ms: 100 } }] },
      http: { maxPipelinedRequests: 2 },
    });
    const c = open(mock.port);
    await c.ready;
    c.socket.write(get('/api/public/thread/a') + get('/api/public/thread/b') + get('/api/public/thread/c'));
    const raw = await c.closed;
    expect(statuses(raw)).toEqual([404, 404, 503]);
    expect(lastBody(raw).message).toMatch(/Too many pipelined requests/);
    expect(mock.simulator.ledger().requests.map((r) => r.path)).toEqual([
      '/api/public/thread/a',
      '/api/public/thread/b',
    ]);
    expect(mock.stats().refusedPipelined).toBe(1);
  });

  it('answers valid pipelined requests before the 400 for garbage that followed them in the same write', async () => {
    mock = await startMockServer({ config: { limits: false } });
    const c = open(mock.port);
    await c.ready;
    c.socket.write(
      `${post('/api/public/thread', '{}')}${post('/api/public/thread', '{"message":"hi"}')}GARBAGE\r\n\r\n`,
    );
    const raw = await c.closed;
    expect(statuses(raw)).toEqual([200, 200, 400]);
    expect(lastBody(raw)).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const created = mock.simulator.ledger().effects.filter((e) => e.kind === 'thread_created');
    expect(created).toHaveLength(2);
    // And the server goes on serving.
    expect((await send(`${mock.url}/thread`, 'POST', { body: {} })).status).toBe(200);
  });
});
