import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess as cli, runCli as spawnCli } from '../support/cli.js';

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-harness-run-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

function readResult(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
}

describe('nexus-harness run', () => {
  // End to end through the bin, in a process of its own: the one real run of this file.
  it('runs smoke against the mock, prints the summary and writes a versioned result (exit 0)', async () => {
    const out = join(outRoot, 'smoke');
    const outcome = await spawnCli(['run', 'smoke', '--duration', '2s', '--out', out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/smoke on mock/);
    expect(outcome.stdout).toMatch(/audit\s+duplicates 0, lost 0/);
    expect(outcome.stdout).toContain('PASSED');
    const result = readResult(out);
    expect(result).toMatchObject({
      schema: 'nexus-harness/result',
      version: 1,
      passed: true,
      interrupted: false,
    });
    expect(result.metrics.op_duration.values.length).toBeGreaterThan(0);
    expect(result.audit).toMatchObject({ complete: true, duplicates: { count: 0 } });
  });

  // The bin's SIGINT/SIGTERM are run-signals.test.ts's; in process, the caller's AbortSignal is its Ctrl-C.
  it('stops gracefully when its caller aborts (Ctrl-C in process) and still writes what it measured', async () => {
    const out = join(outRoot, 'interrupted');
    const stop = new AbortController();
    let sent = false;
    const outcome = await cli(['run', 'steady', '--duration', '60s', '--out', out], {
      signal: stop.signal,
      // The first plain progress line means load is flowing; then interrupt.
      onStderr: (text) => {
        if (!sent && /\] \d+ ops\/s/.test(text)) {
          sent = true;
          setTimeout(() => stop.abort(), 1_500);
        }
      },
    });
    expect(sent).toBe(true);
    // Interrupted is its own outcome (k6's 105), never a pass, whatever the partial figures say.
    expect(outcome.code).toBe(105);
    expect(outcome.stderr).toContain('stopping gracefully');
    expect(outcome.stdout).toContain('INTERRUPTED');
    expect(outcome.stdout).not.toMatch(/^PASSED/m);
    expect(existsSync(join(out, 'result.json'))).toBe(true);
    const result = readResult(out);
    expect(result.interrupted).toBe(true);
    expect(result).toMatchObject({ verdict: 'interrupted', passed: false });
    expect(result.durationMs).toBeLessThan(30_000);
    const ops = result.metrics.ops.values.reduce(
      (n: number, v: { stats: { count: number } }) => n + v.stats.count,
      0,
    );
    expect(ops).toBeGreaterThan(0);
  }, 60_000);

  it('runs in process through MSW with --target msw', async () => {
    const outcome = await cli(['run', 'smoke', '--target', 'msw', '--duration', '2s', '--no-out']);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/smoke on msw/);
    expect(outcome.stdout).toMatch(/audit\s+duplicates 0/);
  });

  it('refuses the real API without NEXUS_API_KEY, and without --allow-remote (exit 2, nothing sent)', async () => {
    const noKey = await cli(['run', 'smoke', '--target', 'real', '--no-out'], { env: { NEXUS_API_KEY: '' } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('NEXUS_API_KEY');
    const noOptIn = await cli(['run', 'smoke', '--target', 'real', '--no-out'], {
      env: { NEXUS_API_KEY: 'nx-test-placeholder' },
    });
    expect(noOptIn.code).toBe(2);
    expect(noOptIn.stderr).toContain('--allow-remote');
    expect(noOptIn.stderr).not.toContain('nx-test-placeholder');
    expect(readdirSync(outRoot)).not.toContain('real');
  });

  it('rejects a bad flag value with exit 2 and says what is allowed', async () => {
    const outcome = await cli(['run', 'smoke', '--duration', 'soon']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--duration "soon" is not a duration/);
  });

  it("judges --threshold on a scripted scenario's declared metric, and refuses an undeclared one before the run", async () => {
    const scripted = 'test/fixtures/scenarios/valid/scripted.ts';
    const unknown = await cli(['run', scripted, '--threshold', 'nope=p(95)<10', '--no-out']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nope: unknown metric 'nope'.*metrics: \{ nope: 'trend' \}/s);
    // A bound no loopback reply meets: the declared trend is judged, and fails the run (99).
    const judged = await cli([
      'run',
      scripted,
      '--threshold',
      'ask_time=p(95)<0.001',
      '--duration',
      '1s',
      '--no-out',
    ]);
    expect(judged.code, judged.stderr).toBe(99);
    expect(judged.stdout).toMatch(/✗ ask_time: p\(95\)<0\.001 \(actual [\d.]+ ms\)/);
  }, 60_000);

  it('refuses a --url with a query or fragment, without echoing it (a key in ?api_key= reached the summary and result.json)', async () => {
    for (const suffix of ['?api_key=SEKRETQ', '#SEKRETQ']) {
      const outcome = await cli([
        'run',
        'smoke',
        '--target',
        'url',
        '--url',
        `http://127.0.0.1:9/api/public${suffix}`,
        '--no-out',
      ]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain('--url http://127.0.0.1:9/api/public has a query or fragment');
      expect(outcome.stderr + outcome.stdout).not.toContain('SEKRETQ');
    }
    // Nor when the URL does not even parse, nor through the library's urlTarget.
    const malformed = await cli([
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      'http//127.0.0.1:9/api/public?api_key=SEKRETQ',
      '--no-out',
    ]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('is not an http(s) URL');
    expect(malformed.stderr).not.toContain('SEKRETQ');
    const { urlTarget } = await import('../../harness/targets/index.js');
    const opened = urlTarget({ url: 'http://127.0.0.1:9/api/public?api_key=SEKRETQ' }).open({
      mock: { apiKeys: ['nexus-mock-key'] } as never,
      env: {},
    });
    await expect(opened).rejects.toThrow(/with a query or fragment/);
    await expect(opened).rejects.not.toThrow(/SEKRETQ/);
  });
});
