import { describe, expect, it } from 'vitest';
import { createRecorder } from '../engine/recorder/recorder.js';
import { createResult } from '../engine/result/create-result.js';
import type { MetricName } from '../engine/types.js';
import { formatRunSummary, MAX_CHECK_LINES } from './run-summary.js';
import { ANSI_STYLE } from './terminal-style.js';

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

  it('lists the most frequent reasons scripted iterations threw (script_errors) with counts, then how many more', () => {
    const result = resultOf((r) => {
      const error = (reason: string, count: number) =>
        r.counter('script_errors', { executor: 'main', error: reason }).add(count);
      error('ECONNRESET: socket hang up', 12);
      error('TypeError: x is undefined', 3);
      for (let i = 0; i < 5; i++) error(`E${i}: rare`, 1);
    }, 'http://127.0.0.1:4010/api/public');
    const lines = formatRunSummary(result, null).split('\n');
    const from = lines.findIndex((l) => l.startsWith('  thrown'));
    expect(lines.slice(from, from + 6)).toEqual([
      '  thrown     ECONNRESET: socket hang up ×12',
      '  thrown     TypeError: x is undefined ×3',
      '  thrown     E0: rare ×1',
      '  thrown     E1: rare ×1',
      '  thrown     E2: rare ×1',
      '  thrown     … and 2 more reason(s) ×2',
    ]);
  });
});

describe('run summary: the per-operation table, errors, thresholds and colour', () => {
  /** A run of 10 s: two ops with latencies, a client call of no op of its own, 404s and resets. */
  function sampleResult() {
    let now = 0;
    const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
    const op = (name: string, ok: number, failed: number, ms: number[]) => {
      recorder.counter('ops', { op: name }).add(ok + failed);
      for (let i = 0; i < ok + failed; i++) recorder.rate('op_failed', { op: name }).add(i < failed);
      for (const v of ms) recorder.trend('op_duration', { op: name }).record(v);
    };
    op('get_session', 90, 10, [1, 2, 3, 4, 100]);
    op('send_message', 40, 0, [5, 6, 7]);
    for (const v of [0.5, 0.7])
      recorder.trend('http_req_duration', { op: 'get_session', status: '2xx' }).record(v);
    recorder.trend('queue_time', { op: 'get_session' }).record(0.1);
    recorder.trend('http_req_duration', { op: 'create_session', status: '2xx' }).record(2);
    recorder.trend('reply_latency', {}).record(1_500);
    recorder.counter('http_reqs', { op: 'get_session', status: '4xx' }).add(6);
    recorder.counter('http_reqs', { op: 'get_session', status: 'network' }).add(4);
    recorder.counter('http_reqs', { op: 'get_session', status: '2xx' }).add(90);
    recorder.counter('attempt_errors', { op: 'get_session', reason: '404' }).add(6);
    recorder.counter('attempt_errors', { op: 'get_session', reason: 'ECONNRESET' }).add(4);
    recorder.counter('retries', { op: 'get_session' }).add(3);
    now = 10_000;
    recorder.stop();
    return createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: { name: 'smoke' },
      target: { kind: 'url', baseUrl: 'http://127.0.0.1:4010/v2', audited: false },
      thresholds: [
        {
          metric: 'op_duration{op:get_session}',
          expression: 'p(99)<50',
          ok: false,
          actual: 100,
          abortOnFail: false,
          abort: false,
          status: 'fail',
        },
        {
          metric: 'op_failed',
          expression: 'rate<0.2',
          ok: true,
          actual: 10 / 140,
          abortOnFail: false,
          abort: false,
          status: 'pass',
        },
        {
          metric: 'attempt_errors',
          expression: 'count<20',
          ok: true,
          actual: 10,
          abortOnFail: false,
          abort: false,
          status: 'pass',
        },
        {
          metric: 'duplicates',
          expression: 'count==0',
          ok: true,
          actual: null,
          abortOnFail: false,
          abort: false,
          status: 'n/a',
          note: 'this target has no ledger',
        },
      ],
      errorExamples: {
        '404': 'Failed to GET /thread/{id}: status 404: Not Found.',
        ECONNRESET: 'Failed to GET /thread/{id}: network error ECONNRESET.',
      },
    });
  }

  it('prints the per-operation table with aligned columns: count, goodput, failed, op_duration percentiles, then service, queue and reply rows', () => {
    const lines = formatRunSummary(sampleResult(), null).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  operation'));
    const table = lines.slice(at, at + 9);
    expect(table[0]!.trim().split(/\s+/)).toEqual([
      'operation',
      'count',
      'goodput',
      'failed',
      'p50',
      'p90',
      'p99',
      'p99.9',
      'max',
    ]);
    expect(table[1]!.trim().split(/\s+/)).toEqual([
      'get_session',
      '100',
      '9/s',
      '10',
      '3',
      '100',
      '100',
      '100',
      '100',
    ]);
    expect(table[2]!.trim().split(/\s+/)).toEqual(['service', '0.5', '0.7', '0.7', '0.7', '0.7']);
    expect(table[3]!.trim().split(/\s+/)).toEqual(['queue', '0.1', '0.1', '0.1', '0.1', '0.1']);
    expect(table[4]!.trim().split(/\s+/)).toEqual([
      'send_message',
      '40',
      '4/s',
      '0',
      '6',
      '7',
      '7',
      '7',
      '7',
    ]);
    // The calls no op of their own, and the reply latency recorded without an op.
    expect(table[5]!.trim().split(/\s+/)).toEqual(['(no', 'op', 'tag)', '—', '—', '—']);
    expect(table[6]!.trim().split(/\s+/)).toEqual(['reply', '1,500', '1,500', '1,500', '1,500', '1,500']);
    expect(table[7]!.trim().split(/\s+/)).toEqual(['create_session', '(calls)', '—', '—', '—']);
    expect(table[8]!.trim().split(/\s+/)).toEqual(['service', '2', '2', '2', '2', '2']);
    // Right-aligned figures: every row's max ends in the same column as the heading's.
    const end = table[0]!.length;
    for (const row of table.filter((r) => !r.endsWith('—'))) expect(row.length, row).toBe(end);
    expect(lines[at + 9]).toMatch(
      /^ {2}ms: an operation from its intended start \(op_duration\); service: on the wire/,
    );
  });

  it('lists the error reasons with count, operations and example, and the exact 404 count with what to check', () => {
    const lines = formatRunSummary(sampleResult(), null).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  errors'));
    expect(lines.slice(at, at + 3)).toEqual([
      '  errors     reason      count  operations   example',
      '             404            ×6  get_session  Failed to GET /thread/{id}: status 404: Not Found.',
      '             ECONNRESET     ×4  get_session  Failed to GET /thread/{id}: network error ECONNRESET.',
    ]);
    expect(lines).toContain(
      '  ! 404 ×6: Not Found — the base URL has path /v2; check --url ends with /api/public',
    );
    expect(lines.some((l) => l.includes('likely 404'))).toBe(false);
    expect(lines).toContain('  requests   100, 429 0 (0.00%), retries 3, dropped iterations 0');
  });

  it('gives each threshold ✓/✗, the measured value and its unit; n/a says why', () => {
    const lines = formatRunSummary(sampleResult(), null).split('\n');
    expect(lines).toContain('  ✗ op_duration{op:get_session}: p(99)<50 (actual 100 ms)');
    expect(lines).toContain('  ✓ op_failed: rate<0.2 (actual 0.071, 7.143 %)');
    expect(lines).toContain('  ✓ attempt_errors: count<20 (actual 10 attempts)');
    expect(lines).toContain('  – duplicates: count==0 (n/a: this target has no ledger)');
  });

  it('colours ✓ green, ✗ red and the verdict on a terminal; without the colour the text is the plain one', () => {
    const result = sampleResult();
    const plain = formatRunSummary(result, null);
    const coloured = formatRunSummary(result, null, { style: ANSI_STYLE });
    expect(coloured).toContain('\u001b[32m✓\u001b[39m op_failed');
    expect(coloured).toContain('\u001b[31m✗\u001b[39m op_duration');
    expect(coloured).toContain('\u001b[1m\u001b[31mFAILED\u001b[39m\u001b[22m');
    expect(plain).not.toContain('\u001b[');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes are what this removes.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});
