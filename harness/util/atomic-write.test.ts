import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'nexus-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the file, replaces an old one, and leaves no temporary file behind', async () => {
    const path = join(root, 'result.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, '{"new":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}\n');
    expect(readdirSync(root)).toEqual(['result.json']);
  });

  it('fails without touching anything when the folder is missing', async () => {
    await expect(writeFileAtomic(join(root, 'missing', 'result.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('leaves one complete file when many writers race for the same path', async () => {
    const dir = mkdtempSync(join(root, 'race-'));
    const path = join(dir, 'result.json');
    const bodies = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({ writer: i, pad: 'x'.repeat(100_000 + i) }),
    );
    await Promise.all(bodies.map((b) => writeFileAtomic(path, b)));
    expect(bodies).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir)).toEqual(['result.json']);
  });

  it('never leaves a truncated file when the writer is killed mid-write (kill -9)', async () => {
    const dir = mkdtempSync(join(root, 'kill-'));
    const path = join(dir, 'result.json');
    const script = [
      `import { writeFileAtomic } from ${JSON.stringify(join(process.cwd(), 'harness/util/atomic-write.ts'))};`,
      `const body = JSON.stringify({ pad: 'x'.repeat(4_000_000) });`,
      `for (let i = 0; ; i++) { await writeFileAtomic(${JSON.stringify(path)}, body); if (i === 0) process.stdout.write('first\\n'); }`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((done) => child.stdout.once('data', () => done()));
    await new Promise((r) => setTimeout(r, 150)); // well inside a later write
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeGreaterThan(4_000_000);
    expect(() => JSON.parse(text)).not.toThrow();
  }, 20_000);
});
