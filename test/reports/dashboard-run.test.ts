/**
 * `run --dashboard` end to end without a browser (the Chromium test is skipped where there is
 * none): the URL is printed, an event-stream client gets snapshots while the run lasts, a
 * Ctrl-C still ends every stream with the final (interrupted) page and leaves report.html, and
 * a port in use is a usage error before anything runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PageData } from '../../reports/html/index.js';
import { runCliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nh-dashboard-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads `url`'s event stream until it ends; `onEvent` sees each event as it arrives. */
function readEvents(
  url: string,
  onEvent: (event: string, data: unknown) => void,
): Promise<{ event: string; data: unknown }[]> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: unknown }[] = [];
    const req = request(url, { agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
          if (data.length === 0) continue;
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const parsed = JSON.parse(data.join('\n'));
          events.push({ event, data: parsed });
          onEvent(event, parsed);
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('run --dashboard', () => {
  it('streams snapshots while the run lasts; Ctrl-C ends each stream with the interrupted final page', async () => {
    const out = join(dir, 'interrupted');
    const stop = new AbortController();
    let announced: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const run = cli(['run', 'smoke', '--duration', '20s', '--quiet', '--dashboard', '--out', out], {
      signal: stop.signal,
      onStderr: (text) => {
        const match = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
        if (match) announced(match[1]!);
      },
    });
    const base = await url;
    let messages = 0;
    const events = await readEvents(`${base}events`, (event) => {
      // Two snapshots in: stop the run as Ctrl-C would.
      if (event === 'message' && !stop.signal.aborted) {
        messages++;
        if (messages >= 2) stop.abort();
      }
    });
    const outcome = await run;
    expect(outcome.code, outcome.stderr).toBe(105);
    const messagesSeen = events.filter((e) => e.event === 'message');
    expect(messagesSeen.length).toBeGreaterThanOrEqual(2);
    for (const m of messagesSeen) expect((m.data as PageData).state).toBe('running');
    const last = events.at(-1)!;
    expect(last.event).toBe('end');
    const final = last.data as PageData;
    expect(final.state).toBe('final');
    expect(final.runs[0]).toMatchObject({ scenario: 'smoke', verdict: 'interrupted' });
    // The final page carries what only the end knows: the metadata the CLI adds.
    expect(final.runs[0]!.tables.find((t) => t.id === 'metadata')!.rows.map((r) => r[0])).toContainEqual({
      text: 'command',
      tone: 'muted',
    });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('"verdict":"interrupted"');
    expect(existsSync(join(out, 'result.json'))).toBe(true);
  }, 60_000);

  it('exits 2 before running when the port is in use, and leaves no out folder behind', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const out = join(dir, 'taken', 'run');
      const outcome = await cli(['run', 'smoke', '--quiet', '--dashboard', String(port), '--out', out]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(
        `--dashboard ${port}: Failed to start the dashboard on 127.0.0.1:${port}: the port is in use`,
      );
      expect(existsSync(join(dir, 'taken'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  }, 30_000);
});
