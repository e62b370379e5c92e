/**
 * `nexus-harness report` over saved results (a run's, a merged and an imported one), and
 * `run --report`: every format, stdout or a file, the step summary appended, bad input exit 2.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeResults } from '../../harness/engine/result/merge-results.js';
import { parseResult } from '../../harness/engine/result/parse-result.js';
import { sampleResult } from '../reports/sample-result.js';
import { runCliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nh-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function saved(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

const failing = sampleResult({ 'op_duration{op:send_message}': ['p(95)<0.001'], op_failed: ['rate<0.5'] });
const resultFile = saved('result.json', failing);

describe('nexus-harness report', () => {
  it('prints the Markdown summary by default, and exits 0 whatever the verdict', async () => {
    const { code, stdout } = await cli(['report', resultFile]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### nexus-harness: `smoke` — ❌ \*\*FAILED\*\*/);
    expect(stdout).toContain('| ✗ | `op_duration{op:send_message}: p(95)<0.001` | 38.015 ms |');
  });

  it('writes JUnit XML to -o FILE, and prints k6 and json to stdout with -o -', async () => {
    const junit = join(dir, 'junit.xml');
    const written = await cli(['report', resultFile, '--format', 'junit', '-o', junit]);
    expect(written.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<failure message="measured 38.015 ms, threshold p(95)&lt;0.001"');
    const k6 = await cli(['report', resultFile, '-f', 'k6', '-o', '-']);
    expect(JSON.parse(k6.stdout).metrics['op_duration{op:send_message}'].thresholds).toEqual({
      'p(95)<0.001': true,
    });
    const json = await cli(['report', resultFile, '-f', 'json']);
    expect(parseResult(JSON.parse(json.stdout)).thresholds).toEqual(failing.thresholds);
  });

  it('re-renders a merged result and one imported from k6', async () => {
    const merged = saved('merged.json', mergeResults(failing, sampleResult()));
    const md = await cli(['report', merged, '-f', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| send_message | 80 | 0 |');
    const imported = join(dir, 'imported.json');
    const imp = await cli([
      'import',
      'k6',
      join('test', 'fixtures', 'k6-samples', 'summary-export-failed.json'),
      '-o',
      imported,
    ]);
    expect(imp.code, imp.stderr).toBe(99);
    const junit = await cli(['report', imported, '-f', 'junit']);
    expect(junit.code, junit.stderr).toBe(0);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toMatch(
      /<testcase name="op_duration\{op:send_message\}: p\(95\)&lt;0.001"[^>]*>\s*<failure/,
    );
  });

  it('appends the Markdown to $GITHUB_STEP_SUMMARY, keeping what earlier steps wrote', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# build\nok\n');
    const env = { GITHUB_STEP_SUMMARY: summary };
    expect((await cli(['report', resultFile, '-f', 'md', '-o', join(dir, 'pr.md')], { env })).code).toBe(0);
    expect((await cli(['report', resultFile, '-f', 'junit'], { env })).code).toBe(0); // not md: not appended
    expect((await cli(['report', resultFile], { env })).code).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# build\nok\n### nexus-harness: `smoke`')).toBe(true);
    expect(text.match(/### nexus-harness/g)).toHaveLength(2);
    expect(text).not.toContain('<testsuites');
  });

  it('never prints a secret that reached the result', async () => {
    const secret = 'sk-live-0123456789';
    const file = saved('secret.json', { ...failing, scenario: { name: `smoke ${secret}` } });
    for (const format of ['md', 'junit', 'json', 'k6', 'html']) {
      const out = join(dir, `secret.${format}`);
      const env = { NEXUS_API_KEY: secret };
      const printed = await cli(['report', file, '-f', format], { env });
      await cli(['report', file, '-f', format, '-o', out], { env });
      expect(printed.stdout + readFileSync(out, 'utf8'), format).not.toContain(secret);
    }
  });

  it('exits 2 on an unknown format, listing the allowed ones', async () => {
    const { code, stderr } = await cli(['report', resultFile, '--format', 'pdf']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown report format 'pdf' in --format: expected md, junit, json, k6 or html");
  });

  it('exits 2 with a clear message on a file that is not a result', async () => {
    const k6 = await cli(['report', join('test', 'fixtures', 'k6-samples', 'summary-export.json')]);
    expect(k6.code).toBe(2);
    expect(k6.stderr).toMatch(
      /not a nexus-harness result .*It looks like k6 output: nexus-harness import k6 FILE/,
    );
    const missing = await cli(['report', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const text = join(dir, 'text.json');
    writeFileSync(text, 'PASSED — result: …');
    const notJson = await cli(['report', text]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`Failed to read the result ${text}: not JSON`);
    const bad = saved('bad.json', { ...failing, durationMs: 'long', thresholds: 3 });
    const invalid = await cli(['report', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/durationMs/);
    expect(invalid.stderr).toMatch(/thresholds/);
  });

  it('exits 2 with the reason, no stack, on a damaged histogram (and compare and merge too)', async () => {
    const damaged = structuredClone(failing) as typeof failing;
    const trend = Object.values(damaged.metrics).find((m) => m.kind === 'trend')!;
    (trend.values[0] as { histogram: string }).histogram = 'AAAA';
    const file = saved('damaged.json', damaged);
    for (const args of [
      ['report', file],
      ['compare', resultFile, file],
      ['merge', file, resultFile],
    ]) {
      const outcome = await cli(args);
      expect(outcome.code, `${args[0]}: ${outcome.stderr}`).toBe(2);
      expect(outcome.stderr).toMatch(/Failed to decode the histogram of .*no valid cookie/);
      expect(outcome.stderr).not.toMatch(/unexpected error|\n\s+at /);
    }
  });

  it('--help shows the formats and examples', async () => {
    const { code, stdout } = await cli(['report', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('md | junit | json | k6 | html');
    expect(stdout).toContain('report result.json -f k6 -o summary.json');
  });
});
