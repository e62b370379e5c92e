import { describe, expect, it } from 'vitest';
import { createRecorder } from '../engine/recorder/recorder.js';
import { createResult } from '../engine/result/create-result.js';
import type { MetricName } from '../engine/types.js';
import { formatRunSummary, MAX_CHECK_LINES } from './run-summary.js';

describe('run summary of a scripted iteration', () => {
  it("shows k6's checks block and a line per custom metric", () => {
    let now = 0;
    const recorder = createRecorder({
      clock: { now: () => now },
      tickMs: false,
      health: false,
      metrics: { login_time: 'trend', logins: 'counter', cache_hit: 'rate', depth: 'gauge' },
    });
    const checks = (name: string, executor: string) => recorder.rate('checks', { check: name, executor });
    for (let i = 0; i < 10; i++) checks('status is 200', 'main').add(true);
    for (let i = 0; i < 3; i++) checks('status is 200', 'burst').add(true);
    for (let i = 0; i < 4; i++) checks('reply arrived', 'main').add(i !== 0);
    const custom = (name: string) => name as MetricName;
    for (const ms of [10, 20, 30, 40]) recorder.trend(custom('login_time'), { executor: 'main' }).record(ms);
    recorder.counter(custom('logins'), { executor: 'main' }).add(5);
    recorder.counter(custom('logins'), { executor: 'burst' }).add(3);
    recorder.rate(custom('cache_hit'), {}).add(true);
    recorder.gauge(custom('depth'), {}).set(7);
    now = 2_000;
    recorder.stop();
    const result = createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: { name: 's' },
    });
    const lines = formatRunSummary(result, null).split('\n');
    const from = lines.findIndex((l) => l.startsWith('  checks'));
    expect(lines.slice(from, from + 7)).toEqual([
      '  checks     94.12% — ✓ 16  ✗ 1',
      '    ✗ reply arrived  ↳ 75% — ✓ 3 / ✗ 1',
      '    ✓ status is 200',
      '  cache_hit  100.00% (1 of 1)',
      '  depth      7 (min 7, max 7)',
      '  login_time avg 25 ms  p50 20 ms  p95 40 ms  p99 40 ms  max 40 ms (4 samples)',
      '  logins     8 (4/s)',
    ]);
  });

  it('lists at most MAX_CHECK_LINES checks, the failing ones first, then says how many more; an empty name is named', () => {
    const recorder = createRecorder({ clock: { now: () => 0 }, tickMs: false, health: false });
    const checks = (name: string) => recorder.rate('checks', { check: name, executor: 'main' });
    for (let i = 0; i < 3_000; i++) checks(`id ${String(i).padStart(4, '0')} ok`).add(i % 1_000 !== 7);
    checks('').add(false);
    recorder.stop();
    const result = createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: null,
    });
    const lines = formatRunSummary(result, null).split('\n');
    const from = lines.findIndex((l) => l.startsWith('  checks'));
    const block = lines.slice(from + 1, from + 1 + MAX_CHECK_LINES + 1);
    expect(MAX_CHECK_LINES).toBe(20);
    expect(block.slice(0, 5)).toEqual([
      '    ✗ (empty name)  ↳ 0% — ✓ 0 / ✗ 1',
      '    ✗ id 0007 ok  ↳ 0% — ✓ 0 / ✗ 1',
      '    ✗ id 1007 ok  ↳ 0% — ✓ 0 / ✗ 1',
      '    ✗ id 2007 ok  ↳ 0% — ✓ 0 / ✗ 1',
      '    ✓ id 0000 ok',
    ]);
    expect(block[MAX_CHECK_LINES]).toBe('    … and 2,981 more check(s), all passing');
    expect(lines.filter((l) => l.startsWith('    ✓') || l.startsWith('    ✗'))).toHaveLength(MAX_CHECK_LINES);
  });

  it('shows no checks block when no check ran', () => {
    const recorder = createRecorder({ clock: { now: () => 0 }, tickMs: false, health: false });
    recorder.stop();
    const result = createResult({ runId: 'r', startedAt: '2026-01-01T00:00:00.000Z', recorder });
    expect(formatRunSummary(result, null)).not.toContain('checks');
  });
});

describe('run summary of target app', () => {
  it("names the chat app and the API behind it, and what the app's /metrics counted", () => {
    const recorder = createRecorder({ clock: { now: () => 0 }, tickMs: false, health: false });
    recorder.stop();
    const result = createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: { name: 'chat-app' },
      target: {
        kind: 'app',
        baseUrl: 'http://127.0.0.1:4010/api/public',
        audited: true,
        app: { url: 'http://127.0.0.1:3000', started: true, chatRequests: { '200': 48, '429': 2 } },
      },
    });
    const lines = formatRunSummary(result, null).split('\n');
    expect(lines[0]).toContain(
      'on app (http://127.0.0.1:3000, in front of http://127.0.0.1:4010/api/public)',
    );
    expect(lines).toContain('  app        counted POST /chat: 200 ×48, 429 ×2 (its /metrics)');
  });
});

describe('run summary of status codes and error reasons', () => {
  function resultOf(
    record: (recorder: ReturnType<typeof createRecorder>) => void,
    baseUrl: string,
  ): ReturnType<typeof createResult> {
    const recorder = createRecorder({ clock: { now: () => 0 }, tickMs: false, health: false });
    record(recorder);
    recorder.stop();
    return createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: { name: 'smoke' },
      target: { kind: 'url', baseUrl, audited: false },
    });
  }
  const reqs = (recorder: ReturnType<typeof createRecorder>, op: string, status: string, count: number) =>
    recorder.counter('http_reqs', { op, status }).add(count);

  it('counts attempts per status with the ops behind each non-2xx, and says what to check for 4xx on a URL without /api/public', () => {
    const result = resultOf((r) => {
      reqs(r, 'create_session', '4xx', 40);
      reqs(r, 'send_message', '4xx', 20);
      reqs(r, 'send_message', '2xx', 0);
      reqs(r, 'send_message', 'network', 12);
    }, 'http://127.0.0.1:4010');
    const lines = formatRunSummary(result, null).split('\n');
    expect(lines).toContain(
      '  status     4xx ×60 (create_session ×40, send_message ×20), network ×12 (send_message)',
    );
    expect(lines).toContain(
      '  ! 4xx ×60: likely 404 Not Found — the base URL has no path; check --url ends with /api/public',
    );
  });

  it('names an exact 404 when the status tag carries the code, and the wrong path', () => {
    const result = resultOf((r) => {
      reqs(r, 'get_session', '404', 60);
      reqs(r, 'get_session', '200', 5);
    }, 'http://example.test/api');
    const lines = formatRunSummary(result, null).split('\n');
    expect(lines).toContain('  status     404 ×60 (get_session), 200 ×5');
    expect(lines).toContain(
      '  ! 404 ×60: Not Found — the base URL has path /api; check --url ends with /api/public',
    );
  });

  it('gives no path hint under /api/public unless every request was refused, then says what to check', () => {
    const some = resultOf((r) => {
      reqs(r, 'send_message', '2xx', 90);
      reqs(r, 'send_message', '4xx', 3);
    }, 'http://127.0.0.1:4010/api/public/');
    const someLines = formatRunSummary(some, null).split('\n');
    expect(someLines).toContain('  status     2xx ×90, 4xx ×3 (send_message)');
    expect(someLines.some((l) => l.startsWith('  !'))).toBe(false);
    const all = resultOf((r) => reqs(r, 'create_session', '4xx', 7), 'http://127.0.0.1:4010/api/public');
    expect(formatRunSummary(all, null).split('\n')).toContain(
      '  ! 4xx ×7: every request was refused — check --url (…/api/public) and the API key',
    );
  });

  it('lists the most frequent error reasons with counts, then how many more', () => {
    const result = resultOf((r) => {
      const error = (reason: string, count: number) =>
        r.counter('script_errors', { executor: 'main', error: reason }).add(count);
      error('ECONNRESET: socket hang up', 12);
      error('TypeError: x is undefined', 3);
      for (let i = 0; i < 5; i++) error(`E${i}: rare`, 1);
    }, 'http://127.0.0.1:4010/api/public');
    const lines = formatRunSummary(result, null).split('\n');
    const from = lines.findIndex((l) => l.startsWith('  errors'));
    expect(lines.slice(from, from + 6)).toEqual([
      '  errors     ECONNRESET: socket hang up ×12',
      '  errors     TypeError: x is undefined ×3',
      '  errors     E0: rare ×1',
      '  errors     E1: rare ×1',
      '  errors     E2: rare ×1',
      '  errors     … and 2 more reason(s) ×2',
    ]);
  });
});
