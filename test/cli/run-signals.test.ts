import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * SIGTERM/SIGINT stop any run promptly with a partial result, even while the client holds
 * work behind its budget (on main a SIGTERM at 5 s gave no exit within 95 s and no result).
 */

const dir = mkdtempSync(join(tmpdir(), 'nexus-harness-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 30 iterations/s for a minute against 10 requests per minute: within a second the client holds most of them. */
const scenarioFile = join(dir, 'held.json');
writeFileSync(
  scenarioFile,
  JSON.stringify({
    name: 'held-behind-the-budget',
    executors: {
      main: {
        executor: 'constant-arrival-rate',
        rate: 30,
        duration: '60s',
        preAllocatedVUs: 20,
        maxVUs: 200,
      },
    },
    workload: { mix: { getSession: 1 } },
    mock: { limits: { perMinute: { limit: 10, windowMs: 60_000 } } },
  }),
);

interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the (first) signal to the process's exit, ms. */
  afterSignalMs: number;
}

/** Starts `run`, waits until the client is holding work, sends `signals` (back to back), and waits for the exit. */
function runThenSignal(args: string[], signals: NodeJS.Signals[]): Promise<Stopped> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/main.ts', 'run', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CI: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      // The first plain progress line comes after a second of load: the budget is spent by then.
      if (signalledAt === 0 && /\] \d+ ops\/s/.test(stderr)) {
        signalledAt = Date.now();
        for (const s of signals) child.kill(s);
      }
    });
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, afterSignalMs: Date.now() - signalledAt }),
    );
  });
}

describe('run under a signal', () => {
  it('SIGTERM while the client holds work: exits 105 within 3 s with a valid partial result.json', async () => {
    const out = join(dir, 'sigterm');
    const stopped = await runThenSignal([scenarioFile, '--out', out], ['SIGTERM']);
    expect(stopped.stderr).toMatch(/client budgets: the mock's limits: 10 per 60 s/);
    expect(stopped.stderr).toMatch(/demands 1,800 iterations/);
    expect(stopped.stderr).toContain('SIGTERM: stopping gracefully');
    expect(stopped.code, stopped.stderr).toBe(105);
    expect(stopped.afterSignalMs).toBeLessThan(3_000);
    expect(stopped.stdout).toContain('INTERRUPTED');
    expect(stopped.stdout).toMatch(/were still in the client when the run ended \(cut off, never sent\)/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ interrupted: true, verdict: 'interrupted', passed: false });
    expect(result.completion.demanded).toBe(1_800);
    expect(result.completion.interrupted).toBeGreaterThan(0);
    expect(result.completion.notStarted).toBeGreaterThan(1_000);
  }, 60_000);

  it('a second signal quits at once (exit 130)', async () => {
    // Two kinds, back to back: two pending signals of one kind may be delivered as one.
    const stopped = await runThenSignal([scenarioFile, '--no-out'], ['SIGINT', 'SIGTERM']);
    expect(stopped.code).toBe(130);
    expect(stopped.afterSignalMs).toBeLessThan(3_000);
  }, 60_000);
});
