import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-run-out-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves once `path` exists (polling: the file is the other process's, no event to wait on). */
async function appears(path: string, withinMs: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < withinMs; ) {
    if (existsSync(path)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('nexus-harness run --out', () => {
  it('takes a bare --duration as ms, holds its folder while it runs, and refuses a second run there', async () => {
    const out = join(outRoot, 'shared');
    const first = cli(['run', 'smoke', '--duration', '6000', '--out', out, '--quiet']);
    // The lock file appears before the target opens, and stays while the run lives.
    expect(await appears(join(out, '.nexus-harness.lock'), 30_000)).toBe(true);
    const second = await cli(['run', 'smoke', '--duration', '1s', '--out', out, '--quiet']);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/--out: ".*shared" is in use by another run \(pid \d+ on /);
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    // 6000 was read as 6000 ms (smoke's one executor is scaled to exactly that).
    expect(result.scenario.resolved.executors.main.duration).toBe(6_000);
    // Released, and nothing half-written left beside the result.
    expect(readdirSync(out)).toEqual(['result.json']);
  }, 90_000);
});
