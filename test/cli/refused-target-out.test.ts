import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

/**
 * A run whose target refuses to open writes no result: the output folder it made for that
 * result (and any parent it made) is removed again, not left empty; a folder that was there
 * before stays.
 */

const root = mkdtempSync(join(tmpdir(), 'nexus-refused-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nexus-harness run with a target that refuses to open', () => {
  it('leaves no empty output folder behind (url target, remote without --allow-remote)', async () => {
    const out = join(root, 'made', 'run-1');
    const { code, stderr } = await runCliInProcess([
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      'http://example.com/api/public',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code, stderr).toBe(2);
    expect(existsSync(join(root, 'made'))).toBe(false);
  });

  it('leaves no empty output folder behind (pact target, missing pact file)', async () => {
    const out = join(root, 'pact-run');
    const { code, stderr } = await runCliInProcess([
      'run',
      'smoke',
      '--target',
      'pact',
      '--pact-file',
      join(root, 'nonexistent.json'),
      '--out',
      out,
      '--quiet',
    ]);
    expect(code, stderr).not.toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('keeps a folder that existed before the run (empty, as it was)', async () => {
    const out = join(root, 'existing');
    mkdirSync(out);
    const { code } = await runCliInProcess([
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      'http://example.com/api/public',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });
});
