import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, HarnessError, isUsageError, UsageError } from './errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = ['harness', 'mock-server', 'contracts', 'scenarios', 'reports'];

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return; // reports/ holds no tracked file yet: a fresh clone has none
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'out') continue;
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) yield path;
  }
}

describe('one error model', () => {
  it('every error code the shipped code names is in the one catalogue, ERROR_CODES', () => {
    const known = new Set<string>(Object.values(ERROR_CODES));
    const strays: string[] = [];
    for (const top of SHIPPED) {
      for (const file of sourceFiles(join(ROOT, top))) {
        for (const [, code] of readFileSync(file, 'utf8').matchAll(/['"`](NH_[A-Z_]+)['"`]/g)) {
          if (!known.has(code!)) strays.push(`${relative(ROOT, file)}: ${code}`);
        }
      }
    }
    expect(strays).toEqual([]);
  });

  it('the brand and instanceof hold for an error from another copy of the package', async () => {
    vi.resetModules();
    // A second instance of the module, as a second copy of the package in node_modules would be.
    const secondCopy = './errors.js?copy=2';
    const other = (await import(secondCopy)) as typeof import('./errors.js');
    expect(other.UsageError).not.toBe(UsageError);
    const foreign = new other.UsageError('from the other copy');
    expect(foreign).toBeInstanceOf(UsageError);
    expect(foreign).toBeInstanceOf(HarnessError);
    expect(HarnessError.is(foreign)).toBe(true);
    expect(isUsageError(foreign)).toBe(true);
    expect(new other.HarnessError(ERROR_CODES.ledger, 'x')).not.toBeInstanceOf(UsageError);
    expect(new Error('plain')).not.toBeInstanceOf(HarnessError);
  });

  it("a subclass's is() accepts only its own class; the guards go by code", async () => {
    const { ConfigError, isConfigError } = await import('./validation.js');
    const config = new ConfigError('scenario', [{ path: 'a', message: 'b' }]);
    const usage = new UsageError('u');
    expect(ConfigError.is(config)).toBe(true);
    expect(ConfigError.is(usage)).toBe(false); // inherited HarnessError.is said true
    expect(UsageError.is(config)).toBe(false);
    expect(HarnessError.is(config) && HarnessError.is(usage)).toBe(true);
    expect([config, usage, new Error('x')].filter(HarnessError.is)).toHaveLength(2); // detached
    expect(isConfigError(config)).toBe(true);
    expect(isConfigError(usage)).toBe(false);
  });
});
