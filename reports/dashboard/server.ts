/**
 * The live dashboard: the HTML report's page, served on 127.0.0.1 while a run lasts, fed a new
 * snapshot every second through Server-Sent Events (`GET /events`). node:http, no framework.
 * It answers only loopback names (a page elsewhere that rebinds its DNS to 127.0.0.1 gets 403),
 * only GET (405 otherwise) and only `/` and `/events` (404 otherwise), and never falls over on
 * a bad request. At the end every client gets `event: end` with the final page data, and the
 * server closes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RunResult } from '../../harness/engine/result/types.js';
import { PAGE_CSP, type PageData, pageDataOf, pageHtml } from '../html/index.js';
import { sseFrame } from './sse.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** Port on 127.0.0.1; 0 (the default) for a free one. */
  port?: number;
  /** Applied to every page and event before it leaves (the CLI's redaction of known secrets). */
  redact?: (text: string) => string;
  /**
   * After `close`, how long clients get to read the end event and hang up before their
   * connections are cut, ms. Default 1,000.
   */
  closeGraceMs?: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  /**
   * Offers the run's state: `take()` is called (its result encoded and sent to every client)
   * only when a client listens, and kept for the page of the next `GET /` otherwise. The
   * caller's cadence (the run's progress tick) sets the rate: about once a second.
   */
  publish(take: () => RunResult): void;
  /** Event-stream clients connected now. */
  clients(): number;
  /**
   * Sends `event: end` with `final` (else the last snapshot) to every client, ends their
   * streams and closes the server. Safe to call twice.
   */
  close(final?: RunResult): Promise<void>;
}

/** One event-stream client, and whether its socket is still draining the last event. */
interface Client {
  res: ServerResponse;
  busy: boolean;
}

/** Hosts a loopback page may name in `Host` (with our port). */
function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(`${text}\n`);
}

/**
 * Starts the dashboard on 127.0.0.1 (`options.port`, or a free one). Rejects when the port is
 * taken (the error names it).
 *
 * @example
 * const dashboard = await startDashboard({ port: 0 });
 * stderr.write(`dashboard: ${dashboard.url}\n`);
 * await runScenario(scenario, { target, onSnapshot: dashboard.publish });
 * await dashboard.close(result);
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const redact = options.redact ?? ((text: string) => text);
  const clients = new Set<Client>();
  const sockets = new Set<Socket>();
  let latest: (() => RunResult) | null = null;
  let lastData: PageData | null = null;
  let closing: Promise<void> | null = null;
  let port = 0;

  const dataOf = (result: RunResult, state: PageData['state']) => pageDataOf([result], { state });
  const currentData = (): PageData => {
    if (latest !== null) lastData = dataOf(latest(), 'running');
    return lastData ?? pageDataOf([], { state: 'running' });
  };
  const send = (client: Client, frame: string) => {
    // A client that has not drained the last second's event skips this one: a slow tab gets
    // fewer updates instead of the server buffering without bound.
    if (client.busy) return;
    if (!client.res.write(frame)) {
      client.busy = true;
      client.res.once('drain', () => {
        client.busy = false;
      });
    }
  };

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const client: Client = { res, busy: false };
    clients.add(client);
    req.socket.setNoDelay(true);
    res.on('close', () => clients.delete(client));
    // The state as it is now, so a page that connects mid-run does not wait a second for figures.
    res.write(`retry: 2000\n\n`);
    if (latest !== null || lastData !== null) send(client, sseFrame(redact(JSON.stringify(currentData()))));
  }

  /** Answers one request; a reply that is not the page or the stream is a plain-text status. */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (!isLoopbackHost(req.headers.host, port)) {
      plain(res, 403, 'This dashboard answers only at 127.0.0.1 or localhost.');
    } else if (req.method !== 'GET') {
      plain(res, 405, `Method ${req.method} not allowed: the dashboard is read with GET.`, { allow: 'GET' });
    } else if (path === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': PAGE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(redact(pageHtml(currentData(), { live: closing === null })));
    } else if (path === '/events' && closing === null) {
      events(req, res);
    } else if (path === '/events') {
      plain(res, 404, 'The run has ended: reload / for the final page.');
    } else {
      plain(res, 404, `Not found: ${path}. The dashboard serves / and /events.`);
    }
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // A snapshot that failed to render must not take the run down with the dashboard.
      if (!res.headersSent) plain(res, 500, `The dashboard failed: ${(err as Error).message}`);
      else res.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request node cannot parse (garbage, oversized headers) gets 400 and its socket closed.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Failed to start the dashboard on 127.0.0.1:${options.port ?? 0}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}. Give another port, or --dashboard alone for a free one.`,
          { cause: err },
        ),
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    publish(take) {
      if (closing !== null) return;
      latest = take;
      if (clients.size === 0) return;
      const frame = sseFrame(redact(JSON.stringify(currentData())));
      for (const client of clients) send(client, frame);
    },
    clients: () => clients.size,
    close(final) {
      if (closing !== null) return closing;
      let data: PageData | null;
      try {
        data = final === undefined ? (latest === null ? lastData : currentData()) : dataOf(final, 'final');
      } catch {
        // Closing after a failed run: a snapshot that cannot be taken must not hide why it failed.
        data = lastData;
      }
      const frame = sseFrame(
        redact(JSON.stringify(data === null ? null : { ...data, state: 'final' })),
        'end',
      );
      closing = new Promise<void>((resolve) => {
        for (const client of clients) {
          client.res.end(frame);
        }
        clients.clear();
        server.close(() => resolve());
        server.closeIdleConnections();
        // A client that keeps its connection after the end event is cut off after the grace.
        const cut = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, options.closeGraceMs ?? 1_000);
        cut.unref();
        server.once('close', () => clearTimeout(cut));
      });
      return closing;
    },
  };
}
