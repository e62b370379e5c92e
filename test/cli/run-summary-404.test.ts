import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('names the 4xx answers (404s) in the summary and says to check --url', async () => {
    // What the run's requests got: the mock has nothing outside /api/public.
    const miss = await fetch(`${mock.origin}/sessions`, { method: 'POST' });
    await miss.body?.cancel();
    expect(miss.status).toBe(404);

    const out = join(outRoot, 'run');
    const outcome = await runCli([
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      mock.origin,
      '--duration',
      '1s',
      '--out',
      out,
    ]);
    // Every op failed: the op_failed threshold fails the run.
    expect(outcome.code, outcome.stderr).toBe(99);
    const lines = outcome.stdout.split('\n');
    const status = lines.find((l) => l.startsWith('  status'));
    expect(status).toMatch(/^ {2}status {5}4xx ×[\d,]+ \(create_session\)$/);
    const hint = lines.find((l) => l.startsWith('  ! 4xx'));
    expect(hint).toMatch(
      /^ {2}! 4xx ×[\d,]+: likely 404 Not Found — the base URL has no path; check --url ends with \/api\/public$/,
    );
    expect(outcome.stdout).toContain('FAILED');
  });
});
