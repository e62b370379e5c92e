/**
 * The reference pages say what the code does: every exit code in harness/cli/exit-codes.ts is
 * in docs/exit-codes.md with its number and name, and every field of the result document
 * (the RunResult interface) is in docs/result-schema.md's table.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the reference pages', () => {
  it('docs/exit-codes.md has a row for every exit code, with its number and name', () => {
    const page = read('docs/exit-codes.md');
    for (const [name, code] of Object.entries(EXIT_CODES)) {
      expect(page, name).toMatch(new RegExp(`^\\| ${code} \\| \`${name}\` \\|`, 'm'));
    }
  });

  it('docs/result-schema.md has a row for every field of RunResult', () => {
    const source = read('harness/engine/result/types.ts');
    const body = source.slice(source.indexOf('export interface RunResult {'));
    const fields = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
    expect(fields.length).toBeGreaterThan(15);
    const page = read('docs/result-schema.md');
    const missing = fields.filter((f) => !new RegExp(`^\\| \`${f}\` \\|`, 'm').test(page));
    expect(missing).toEqual([]);
  });
});
