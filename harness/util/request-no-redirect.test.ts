import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedirectRefusedError, requestNoRedirect } from './request-no-redirect.js';

describe('requestNoRedirect', () => {
  let server: Server;
  let origin: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'X-Thing': 'yes' });
        res.end('{"limits":false}');
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://user:secret@10.0.0.1/elsewhere' });
        res.end('moved');
      } else if (req.url === '/echo') {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => res.end(`${req.method} ${req.headers['content-length']} ${body}`));
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"partial":', () => res.socket?.destroy());
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 5_000).unref();
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a whole JSON answer, with headers by any case', async () => {
    const res = await requestNoRedirect(`${origin}/json`);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.json()).toEqual({ limits: false });
    expect(res.header('x-thing')).toBe('yes');
    expect(res.header('X-THING')).toBe('yes');
    expect(res.header('absent')).toBeNull();
  });

  it('sends the method and body with their length', async () => {
    const res = await requestNoRedirect(`${origin}/echo`, { method: 'POST', body: '{"a":"é"}' });
    expect(res.text).toBe('POST 10 {"a":"é"}');
  });

  it('answers a 4xx as a response, not an error', async () => {
    const res = await requestNoRedirect(`${origin}/nothing`);
    expect(res.status).toBe(404);
    expect(res.ok).toBe(false);
    expect(res.text).toBe('not here');
    expect(() => res.json()).toThrow(SyntaxError);
  });

  it('refuses a redirect, naming the Location without its credentials, and never follows it', async () => {
    const before = seen.length;
    const error = await requestNoRedirect(`${origin}/redirect`).catch((e: unknown) => e);
    expect(isRedirectRefusedError(error)).toBe(true);
    expect((error as Error).message).toContain('302');
    expect((error as Error).message).not.toContain('secret');
    expect(seen.slice(before)).toEqual(['GET /redirect']);
  });

  it('rejects when the connection is cut mid-body', async () => {
    await expect(requestNoRedirect(`${origin}/cut`)).rejects.toThrow();
  });

  it('rejects when its signal aborts', async () => {
    const started = performance.now();
    await expect(requestNoRedirect(`${origin}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it('rejects with the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(requestNoRedirect(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
