/**
 * The dashboard's server on loopback: the page, the event stream's framing, snapshots taken only
 * when someone listens, bad requests answered (never a crash), and a clean close that tells
 * every client the run ended.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Dashboard, sseFrame, startDashboard } from '../../reports/dashboard/index.js';
import type { PageData } from '../../reports/html/index.js';
import { sampleResult } from './sample-result.js';

let dashboard: Dashboard | null = null;
afterEach(async () => {
  await dashboard?.close();
  dashboard = null;
});

const portOf = (d: Dashboard) => Number(new URL(d.url).port);

/** One request; the status, headers and whole body. */
function get(
  d: Dashboard,
  path: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: portOf(d),
        path,
        method: options.method ?? 'GET',
        // A fresh connection each time: a pooled one could outlive the server it was made to.
        agent: false,
        headers: options.host === undefined ? {} : { host: options.host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An open event stream: the text received so far, and a wait for some condition on it. */
function openEvents(d: Dashboard): Promise<{
  headers: Record<string, unknown>;
  text: () => string;
  ended: Promise<void>;
  until: (predicate: (text: string) => boolean) => Promise<string>;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: portOf(d), path: '/events', agent: false }, (res) => {
      let text = '';
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((done) => res.on('end', () => done()));
      const until = async (predicate: (t: string) => boolean) => {
        // Bounded: at most 50 chunks, or the stream's end.
        for (let i = 0; i < 50 && !predicate(text); i++) {
          await Promise.race([new Promise<void>((w) => waiters.push(w)), ended]);
          if (res.readableEnded && !predicate(text)) break;
        }
        return text;
      };
      resolve({ headers: res.headers, text: () => text, ended, until });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The `data:` payloads of the events in `text`, with their event names. */
function parseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}

describe('sseFrame', () => {
  it('frames one event per blank line, a data line per line of data, and refuses a name with a line break', () => {
    expect(sseFrame('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(sseFrame('one\ntwo\r\nthree', 'end')).toBe('event: end\ndata: one\ndata: two\ndata: three\n\n');
    expect(() => sseFrame('x', 'end\ndata: forged')).toThrow(/line break/);
  });
});

describe('the dashboard server', () => {
  it('listens on 127.0.0.1 only and serves the live page', async () => {
    dashboard = await startDashboard();
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(dashboard, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(page.headers['content-security-policy'])).toContain("connect-src 'self'");
    expect(page.body).toContain('<body data-live="true">');
    expect(page.body).toContain('nexus-harness — waiting for the first figures');
  });

  it('answers a bad path 404, a method other than GET 405, a foreign Host 403, garbage 400, and goes on serving', async () => {
    dashboard = await startDashboard();
    expect((await get(dashboard, '/nope')).status).toBe(404);
    expect((await get(dashboard, '/../../etc/passwd')).status).toBe(404);
    const post = await get(dashboard, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect((await get(dashboard, '/events', { method: 'DELETE' })).status).toBe(405);
    // A page on another site whose name was rebound to 127.0.0.1 sends its own Host.
    const rebound = await get(dashboard, '/', { host: `evil.invalid:${portOf(dashboard)}` });
    expect(rebound.status).toBe(403);
    const garbage = await new Promise<string>((resolve) => {
      const socket = connect(portOf(dashboard!), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await get(dashboard, '/')).status).toBe(200);
  });

  it('takes a snapshot only while someone listens, and sends each as one data: JSON message', async () => {
    dashboard = await startDashboard();
    let taken = 0;
    const take = () => {
      taken++;
      return sampleResult();
    };
    dashboard.publish(take);
    expect(taken).toBe(0); // nobody listens: nothing encoded
    const stream = await openEvents(dashboard);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-store');
    // On connecting, the state as it is now.
    await stream.until((t) => parseEvents(t).length >= 1);
    expect(dashboard.clients()).toBe(1);
    dashboard.publish(take);
    const text = await stream.until((t) => parseEvents(t).length >= 2);
    expect(text.startsWith('retry: 2000\n\n')).toBe(true);
    const events = parseEvents(text);
    expect(events.map((e) => e.event)).toEqual(['message', 'message']);
    const data = events[1]!.data as PageData;
    expect(data.state).toBe('running');
    expect(data.runs[0]!.scenario).toBe('smoke');
    expect(data.charts.map((c) => c.id)).toContain('latency');
    expect(taken).toBe(2);
  });

  it('redacts every page and message it sends', async () => {
    dashboard = await startDashboard({
      redact: (text) => text.replaceAll('sk-live-0123456789', '[redacted]'),
    });
    const result = sampleResult();
    result.scenario = { name: 'smoke sk-live-0123456789' };
    dashboard.publish(() => result);
    const stream = await openEvents(dashboard);
    const text = await stream.until((t) => parseEvents(t).length >= 1);
    expect(text).toContain('smoke [redacted]');
    expect(text).not.toContain('sk-live');
    expect((await get(dashboard, '/')).body).not.toContain('sk-live');
  });

  it('closes cleanly: each client gets event: end with the final data, its stream ends, the port is released', async () => {
    dashboard = await startDashboard();
    dashboard.publish(() => sampleResult());
    const a = await openEvents(dashboard);
    const b = await openEvents(dashboard);
    await a.until((t) => parseEvents(t).length >= 1);
    await b.until((t) => parseEvents(t).length >= 1);
    const final = sampleResult({ op_failed: ['rate<0.01'] });
    await dashboard.close(final);
    await Promise.all([a.ended, b.ended]);
    for (const stream of [a, b]) {
      const last = parseEvents(stream.text()).at(-1)!;
      expect(last.event).toBe('end');
      expect((last.data as PageData).state).toBe('final');
      expect((last.data as PageData).runs[0]!.verdict).toBe('failed');
    }
    expect(dashboard.clients()).toBe(0);
    await expect(get(dashboard, '/')).rejects.toThrow(/ECONNREFUSED/);
    await dashboard.close(); // twice: nothing happens
  });

  it('still closes, with the last page it had, when the run is gone and no snapshot can be taken', async () => {
    dashboard = await startDashboard();
    let broken = false;
    dashboard.publish(() => {
      if (broken) throw new Error('the recorder is gone');
      return sampleResult();
    });
    const stream = await openEvents(dashboard);
    await stream.until((t) => parseEvents(t).length >= 1);
    broken = true;
    await dashboard.close();
    await stream.ended;
    const last = parseEvents(stream.text()).at(-1)!;
    expect(last.event).toBe('end');
    expect((last.data as PageData).runs[0]!.scenario).toBe('smoke');
  });

  it('refuses a port in use, naming it', async () => {
    dashboard = await startDashboard();
    await expect(startDashboard({ port: portOf(dashboard) })).rejects.toThrow(
      `Failed to start the dashboard on 127.0.0.1:${portOf(dashboard)}: the port is in use`,
    );
  });
});
