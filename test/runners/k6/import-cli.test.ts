/**
 * `nexus-harness import k6` end to end in process: exit codes (99 for the failing sample),
 * `-o`, gzip by magic bytes, and malformed input named by line and field (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/engine/result/types.js';
import { importK6File } from '../../../harness/runners/k6/index.js';
import { runCliInProcess as cli } from '../../support/cli.js';

const sample = (f: string) => join('test', 'fixtures', 'k6-samples', f);
const tmp = mkdtempSync(join(tmpdir(), 'nh-k6-import-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('nexus-harness import k6', () => {
  it('judges the failing run failed with exit 99, from its summaries and from its points', async () => {
    for (const file of ['summary-export-failed.json', 'handle-summary-failed.json']) {
      const outcome = await cli(['import', 'k6', sample(file)]);
      expect(outcome.code, `${file}: ${outcome.stderr}`).toBe(99);
    }
    // k6's NDJSON carries no submetric threshold: the script's is given as run takes it.
    const points = await cli([
      'import',
      'k6',
      sample('points-failed.ndjson'),
      '--threshold',
      'op_duration{op:send_message}=p(95)<0.001',
    ]);
    expect(points.code, points.stderr).toBe(99);
    expect(points.stdout).toMatch(/op_duration\{op:send_message\}/);
  });

  it('exits 0 for the passing run and writes the result with -o', async () => {
    const out = join(tmp, 'result.json');
    const outcome = await cli(['import', 'k6', sample('points.ndjson'), '-o', out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(
      written.metrics.http_reqs!.values.reduce((n, v) => n + (v.stats as { count: number }).count, 0),
    ).toBe(408);
  });

  it('reads gzipped NDJSON (by its magic bytes, whatever its name) to the same metrics', async () => {
    const gz = join(tmp, 'points.json');
    writeFileSync(gz, gzipSync(readFileSync(sample('points.ndjson'))));
    const [plain, zipped] = await Promise.all([importK6File(sample('points.ndjson')), importK6File(gz)]);
    expect(zipped.format).toBe('ndjson');
    expect(zipped.result.metrics).toEqual(plain.result.metrics);
  });

  it('says a missing file is missing, exit 2, with no stack trace', async () => {
    const outcome = await cli(['import', 'k6', join(tmp, 'no-such-points.ndjson')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/Failed to read the k6 output .*no-such-points\.ndjson: no such file\./);
    expect(outcome.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('names the line and field of malformed input, exit 2', async () => {
    const lines = readFileSync(sample('points.ndjson'), 'utf8').split('\n').slice(0, 4);
    lines[1] = lines[1]!.replace(/"value":[0-9.]+/, '"value":"fast"');
    const bad = join(tmp, 'bad.ndjson');
    writeFileSync(bad, `${lines.join('\n')}\n{"type":"Point","metric":"nope","data":{}}\n{oops\n`);
    const outcome = await cli(['import', 'k6', bad]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/line 2: data\.value: expected a number \(got "fast"\)/);
    expect(outcome.stderr).toMatch(/line 5: metric: a point of 'nope' before its "Metric" line/);
    expect(outcome.stderr).toMatch(/line 6: not JSON/);
    const summary = join(tmp, 'bad-summary.json');
    writeFileSync(summary, JSON.stringify({ metrics: { http_reqs: { count: 'many', rate: 1 } } }));
    const s = await cli(['import', 'k6', summary]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/metrics\.http_reqs\.count: expected a number \(got "many"\)/);
  });
});
