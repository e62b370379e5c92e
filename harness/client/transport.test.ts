import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkError, isTimeoutError } from './errors.js';
import { resolveTimeouts, type TransportRequest, toTransportError } from './transport.js';
import { createTransport, type TransportKind } from './transport-auto.js';

/** Both transports against a real loopback server: failures map to the typed errors. */

let server: Server;
let origin: string;
const sockets = new Set<Socket>();
/** Requests that reached the server carrying a header a caller smuggled in through a line break. */
let smuggled = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.headers['x-smuggled'] !== undefined) smuggled++;
    if (req.url === '/ok') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-ratelimit-remaining', '7');
      res.end('{"ok":true}');
    } else if (req.url === '/silent') {
      // never answers
    } else if (req.url === '/dribble') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 10);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function request(path: string, signal?: AbortSignal): TransportRequest {
  return { method: 'GET', path, headers: {}, body: undefined, signal, route: 'GET /x', onHeaders: undefined };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.each<TransportKind>(['undici', 'h1', 'fetch'])('%s transport on loopback', (kind) => {
  const timeouts = resolveTimeouts({ headersTimeoutMs: 150, bodyTimeoutMs: 2_000, attemptTimeoutMs: 400 });

  it('returns status, lower-case headers and body, and reports headers first', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const seen: number[] = [];
    const res = await transport.send({ ...request('/ok'), onHeaders: (status) => seen.push(status) });
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('7');
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    expect(seen).toEqual([200]);
    expect(transport.stats().connected).toBe(1);
    await transport.close();
    expect(transport.stats().connected).toBe(0);
  });

  it('refuses a header whose name or value holds a line break, and sends nothing of it', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const smuggling: Record<string, string>[] = [
      { 'x-a': 'v\r\nx-smuggled: 1' },
      { 'x-a\r\nx-smuggled': '1' },
      { 'x-a': 'v\nx-smuggled: 1' },
    ];
    for (const headers of smuggling) {
      await expect(transport.send({ ...request('/ok'), headers })).rejects.toThrow();
    }
    // The transport still works, and no request carried the smuggled header.
    expect((await transport.send(request('/ok'))).status).toBe(200);
    expect(smuggled).toBe(0);
    await transport.close();
  });

  it('maps a refused connection to NetworkError, provably not sent', async () => {
    const transport = createTransport(kind, `http://127.0.0.1:${await closedPort()}`, {}, timeouts);
    const error = await transport.send(request('/ok')).catch((e: unknown) => e);
    expect(isNetworkError(error) && error.errno === 'ECONNREFUSED' && error.requestSent === 'no').toBe(true);
    await transport.close();
  });

  it('maps a server that never answers to a headers TimeoutError (maybe sent)', async () => {
    // undici checks its headers/body timers on a coarse tick (up to ~1 s late): leave room.
    const generous = resolveTimeouts({ headersTimeoutMs: 200, attemptTimeoutMs: 5_000 });
    const transport = createTransport(kind, origin, {}, generous);
    const error = await transport.send(request('/silent')).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    if (isTimeoutError(error)) {
      expect([error.phase, error.requestSent]).toEqual(['headers', 'maybe']);
    }
    await transport.close();
  });

  it('ends an endless dribbled body at the attempt deadline', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const error = await transport.send(request('/dribble')).catch((e: unknown) => e);
    expect(isTimeoutError(error) && error.phase === 'attempt').toBe(true);
    await transport.close();
  });

  it('maps a body cut short to NetworkError (maybe sent)', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const error = await transport.send(request('/cut')).catch((e: unknown) => e);
    expect(isNetworkError(error) && error.requestSent === 'maybe').toBe(true);
    await transport.close();
  });

  it('rejects with the caller’s abort reason', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const controller = new AbortController();
    const pending = transport.send(request('/silent', controller.signal)).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    expect(((await pending) as Error).message).toBe('caller gave up');
    await transport.close();
  });

  it('wires a caller’s signal once, not per request, and still aborts every attempt on it', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await transport.send(request('/ok', controller.signal));
    // The undici and h1 transports keep one listener per signal; fetch wires each request itself
    // (and removes it when the request ends).
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(
      kind === 'fetch' ? 0 : 1,
    );
    const pending = [1, 2, 3].map(() =>
      transport.send(request('/silent', controller.signal)).catch((e: unknown) => e),
    );
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    for (const error of await Promise.all(pending)) expect((error as Error).message).toBe('caller gave up');
    await transport.close();
  });

  it('lets go of a signal once its attempts have settled (a composite signal with a listener is never collected)', async () => {
    const transport = createTransport(kind, origin, {}, timeouts);
    const vu = new AbortController();
    const composite = AbortSignal.any([vu.signal, new AbortController().signal]);
    await transport.send(request('/ok', composite));
    // The sweep (a tenth of the shortest timeout here, 15 ms) removes the listener.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(getEventListeners(composite, 'abort')).toHaveLength(0);
    await transport.close();
  });
});

describe('toTransportError', () => {
  it('maps an undici connect timeout (also wrapped by fetch) to a connect TimeoutError, not sent', () => {
    const timeouts = resolveTimeouts();
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    const error = toTransportError(wrapped, request('/x'), false, timeouts);
    expect(isTimeoutError(error) && error.phase === 'connect' && error.requestSent === 'no').toBe(true);
    const unknown = toTransportError(new TypeError('Failed to fetch'), request('/x'), false, timeouts);
    expect(isNetworkError(unknown) && unknown.errno === 'UNKNOWN' && unknown.requestSent === 'maybe').toBe(
      true,
    );
  });
});
