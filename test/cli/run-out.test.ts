import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli, runCliInProcess } from '../support/cli.js';

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-run-out-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

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
    // The second run in this process: the lock it meets is another process's, as in real use.
    const second = await runCliInProcess(['run', 'smoke', '--duration', '1s', '--out', out, '--quiet']);
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
