/**
 * A one-file web server on 127.0.0.1 for browser tests: `GET /` answers the page, anything
 * else 404, and every request is counted, so a test can show the page asked for nothing else.
 *
 * @example
 * const server = await serveOnePage(html);
 * await page.goto(`${server.origin}/`);
 * await server.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running {@link serveOnePage}. */
export interface OnePageServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Paths requested, in order. */
  requested: string[];
  close(): Promise<void>;
}

/**
 * Serves `html` at `/` on a free loopback port.
 *
 * @example
 * const { origin } = await serveOnePage('<!doctype html><p>hi</p>');
 */
export async function serveOnePage(html: string): Promise<OnePageServer> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
