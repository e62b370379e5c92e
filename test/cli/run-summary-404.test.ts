import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/engine/result/types.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { runCli } from '../support/cli.js';

/**
 * Issue 14's acceptance: the terminal summary of a run against a URL without `/api/public`
 * names the 404s and says what to check. The mock listens on loopback (port 0); the run is
 * given its origin, not its API's base URL, so every op's first request misses the API.
 */

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-summary-404-'));
let mock: RunningMockServer;
beforeAll(async () => {
  mock = await startMockServer({ config: { seed: 1 }, shutdownGraceMs: 0 });
});
afterAll(async () => {
  await mock?.close();
  rmSync(outRoot, { recursive: true, force: true });
});

describe('nexus-harness run against a URL without /api/public', () => {
  it('names the 404s (the exact count, the op, an example) in the summary and says to check --url', async () => {
    // What the run's requests got: the mock has nothing outside /api/public.
    const miss = await fetch(`${mock.origin}/sessions`, { method: 'POST' });
    await miss.body?.cancel();
    expect(miss.status).toBe(404);

    const out = join(outRoot, 'run');
    const outcome = await runCli(
      ['run', 'smoke', '--target', 'url', '--url', mock.origin, '--duration', '1s', '--out', out],
      { env: { FORCE_COLOR: undefined } },
    );
    // Every op failed: the op_failed threshold fails the run.
    expect(outcome.code, outcome.stderr).toBe(99);
    const lines = outcome.stdout.split('\n');
    // Not a terminal: no colour at all.
    expect(outcome.stdout).not.toContain('\u001b[');
    const status = lines.find((l) => l.startsWith('  status'));
    expect(status).toMatch(/^ {2}status {5}4xx ×[\d,]+ \(create_session\)$/);
    const attempts = Number(/4xx ×([\d,]+)/.exec(status!)![1]!.replaceAll(',', ''));

    // The errors table: the exact status, every one of the 4xx, on create_session, with the
    // message the first one came with.
    const head = lines.findIndex((l) => l.startsWith('  errors'));
    expect(lines[head]).toMatch(/^ {2}errors {5}reason +count +operations +example$/);
    const row = lines[head + 1]!;
    expect(row).toMatch(/^ {13}404 +×[\d,]+ +create_session +Failed to POST \/thread: status 404: .+$/);
    expect(Number(/×([\d,]+)/.exec(row)![1]!.replaceAll(',', ''))).toBe(attempts);
    // Columns line up under their headings.
    expect(row.indexOf('create_session')).toBe(lines[head]!.indexOf('operations'));
    expect(row.indexOf('Failed to')).toBe(lines[head]!.indexOf('example'));

    // The hint, from the exact 404 count.
    const hint = lines.find((l) => l.startsWith('  ! 404'));
    expect(hint).toBe(
      `  ! 404 ×${attempts.toLocaleString('en-US')}: Not Found — the base URL has no path; check --url ends with /api/public`,
    );
    expect(lines.some((l) => l.includes('likely 404'))).toBe(false);

    // The per-operation table's columns.
    const table = lines.findIndex((l) => l.startsWith('  operation'));
    expect(lines[table]!.trim().split(/\s+/)).toEqual([
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
    const getSession = lines.find((l) => l.startsWith('  get_session '));
    expect(getSession).toMatch(/^ {2}get_session +[\d,]+ +0\/s +[\d,]+( +[\d.,]+){5}$/);
    expect(outcome.stdout).toContain('FAILED');

    // The result holds what the summary read: the errors counter and its example.
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const errors = result.metrics.attempt_errors;
    expect(errors?.kind).toBe('counter');
    expect(
      errors?.values.map((v) => [v.tags.op, v.tags.reason, (v.stats as { count: number }).count]),
    ).toEqual([['create_session', '404', attempts]]);
    expect(result.errorExamples?.['404']).toMatch(/^Failed to POST \/thread: status 404: /);
  });
});
