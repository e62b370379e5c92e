import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutDir, LOCK_FILE, lockOutDir } from './out-dir.js';
import { ConfigError } from './validation.js';

const root = mkdtempSync(join(tmpdir(), 'nexus-outdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function refusal(dir: string): string {
  try {
    checkOutDir(dir, '--out');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`checkOutDir accepted ${dir}`);
}

describe('checkOutDir', () => {
  it('accepts an existing folder and one still to be made, returning the absolute path', () => {
    expect(checkOutDir(root)).toBe(root);
    expect(checkOutDir(join(root, 'a', 'b'))).toBe(join(root, 'a', 'b'));
    expect(existsSync(join(root, 'a'))).toBe(false); // a check touches nothing
  });

  it('refuses an empty name', () => {
    expect(refusal('')).toMatch(/--out: is empty/);
  });

  it('refuses a file, and a folder under a file', () => {
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    expect(refusal(file)).toMatch(/--out: ".*file\.txt" is a file; give a folder/);
    expect(refusal(join(file, 'sub'))).toMatch(
      /--out: ".*file\.txt" is a file, so ".*sub" cannot be made under it/,
    );
  });

  it('refuses the kernel file systems at once (under /proc, mkdir -p never returns)', () => {
    expect(refusal('/proc/nexus-out')).toMatch(
      /--out: "\/proc\/nexus-out" is on the kernel's proc file system/,
    );
    expect(refusal('/sys/kernel/nexus')).toMatch(/sysfs/);
  });

  it('refuses a folder where result.json must go', () => {
    const dir = join(root, 'taken');
    mkdirSync(join(dir, 'result.json'), { recursive: true });
    expect(refusal(dir)).toMatch(/result\.json" exists and is not a file/);
  });

  it('refuses a folder it cannot write to', () => {
    const dir = join(root, 'read-only');
    mkdirSync(dir, { mode: 0o555 });
    chmodSync(root, 0o755); // mkdtemp makes it 0700: let `nobody` reach the folder under test
    // root may write anywhere: then check as the unprivileged user `nobody`.
    const asRoot = process.getuid?.() === 0;
    const script = `import { checkOutDir } from ${JSON.stringify(join(process.cwd(), 'harness/util/out-dir.ts'))};
      try { checkOutDir(${JSON.stringify(join(dir, 'sub'))}, '--out'); console.log('accepted'); } catch (e) { console.log(e.message); }`;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      ...(asRoot && { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmpdir() } }),
    });
    expect(out.stdout, out.stderr).toMatch(/--out: ".*read-only" is not writable \(EACCES\)/);
  }, 15_000);
});

describe('lockOutDir', () => {
  it('refuses a second run in the same folder while the first holds it, then frees it', async () => {
    const dir = join(root, 'shared');
    const first = await lockOutDir(dir, '--out');
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    await expect(lockOutDir(dir, '--out')).rejects.toThrow(
      /--out: ".*shared" is in use by another run \(pid \d+/,
    );
    expect(() => checkOutDir(dir, '--out')).toThrow(/in use by another run/); // the preflight sees it too
    await first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const second = await lockOutDir(dir, '--out');
    await second.release();
  });

  it('two runs claiming one folder at the same moment: exactly one gets it', async () => {
    for (let i = 0; i < 20; i++) {
      const dir = join(root, `race-${i}`);
      const outcomes = await Promise.allSettled([lockOutDir(dir, '--out'), lockOutDir(dir, '--out')]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won, `round ${i}`).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(String(lost.reason)).toMatch(/in use by another run/);
      await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    }
  });

  it('takes over the lock of a process that died', async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const { hostname } = await import('node:os');
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: 'then' }),
    );
    const lock = await lockOutDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });
});
