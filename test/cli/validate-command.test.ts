import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess as cli, runCli as spawnCli } from '../support/cli.js';

const invalidDir = join('test', 'fixtures', 'scenarios', 'invalid');
const validDir = join('test', 'fixtures', 'scenarios', 'valid');
const fixtures = readdirSync(invalidDir).filter((f) => f.endsWith('.json') && f !== 'biome.json');

describe('nexus-harness validate', () => {
  it(`exits 2 naming the file and each bad field, for all ${fixtures.length} malformed fixtures`, async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    for (const file of fixtures) {
      const outcome = await cli(['validate', join(invalidDir, file)]);
      expect(outcome.code, `${file}: ${outcome.stderr}`).toBe(2);
      expect(outcome.stderr).toContain(join(invalidDir, file));
      // Every problem line names a field path (or the file position of a JSON syntax error).
      expect(outcome.stderr, file).toMatch(/^\s+- (\(root\)|[\w$"[\]{}.:-]+): .+/m);
    }
  });

  // End to end through the bin (a process of its own): the one spawned case of this file.
  it('names the exact field and value, e.g. a negative rate', async () => {
    const outcome = await spawnCli(['validate', join(invalidDir, 'negative-rate.json')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/executors\.\w+\.rate: expected a positive number \(got -\d+\)/);
  });

  it('reports scenario and threshold problems together, under the file name', async () => {
    const file = join(invalidDir, 'scenario-and-threshold-errors.json');
    const outcome = await cli(['validate', file]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`Invalid scenario file ${file}: 3 problem(s).`);
    expect(outcome.stderr).toMatch(/- executors\.main\.vus: expected a positive integer \(got -1\)/);
    expect(outcome.stderr).toMatch(
      /- thresholds\.op_duraton: unknown metric 'op_duraton' \(did you mean 'op_duration'\?\)/,
    );
    expect(outcome.stderr).toMatch(/- thresholds\.op_failed\[0\]: bad expression/);
  });

  it('exits 0 for valid files and built-ins', async () => {
    const valid = await cli(['validate', join(validDir, 'smoke.json')]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('valid scenario');
    const builtin = await cli(['validate', 'rate-limit-storm']);
    expect(builtin.code, builtin.stderr).toBe(0);
  });

  it('refuses an unknown scenario name with the list of built-ins (exit 2)', async () => {
    const outcome = await cli(['run', 'no-such-scenario']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('rate-limit-storm');
  });

  it('refuses to load a non-loopback URL without --allow-remote (exit 2)', async () => {
    const outcome = await cli([
      'run',
      'smoke',
      '--target',
      'url',
      '--url',
      'http://192.0.2.1:8080/api/public',
    ]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--allow-remote');
  });
});
