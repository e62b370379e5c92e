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
