/** `nexus-harness report … --format html`: one result or several overlaid; other formats take one. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PageData } from '../../reports/html/index.js';
import { runCliInProcess as cli } from '../support/cli.js';
import { sampleResult } from './sample-result.js';

const dir = mkdtempSync(join(tmpdir(), 'nh-html-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function saved(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

function embedded(html: string): PageData {
  const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no report data in the page');
  return JSON.parse(json);
}

const passing = saved('a.json', sampleResult());
const failing = saved('b.json', sampleResult({ op_failed: ['rate<0.01'] }));

describe('nexus-harness report --format html', () => {
  it('writes one self-contained page for one result', async () => {
    const out = join(dir, 'one.html');
    const { code, stderr } = await cli(['report', passing, '-f', 'html', '-o', out]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`wrote ${out}`);
    const data = embedded(readFileSync(out, 'utf8'));
    expect(data.runs.map((r) => [r.scenario, r.verdict])).toEqual([['smoke', 'passed']]);
  });

  it('overlays several results in one page, A and B in the order given', async () => {
    const { code, stdout, stderr } = await cli(['report', passing, failing, '--format', 'html']);
    expect(code, stderr).toBe(0);
    const data = embedded(stdout);
    expect(data.runs.map((r) => [r.tag, r.verdict])).toEqual([
      ['A', 'passed'],
      ['B', 'failed'],
    ]);
    expect(data.title).toBe('2 runs: A smoke, B smoke · nexus-harness');
  });

  it('exits 2 when another format is given several results', async () => {
    const { code, stderr } = await cli(['report', passing, failing, '--format', 'md']);
    expect(code).toBe(2);
    expect(stderr).toContain('--format md renders one result; got 2');
    expect(stderr).toContain('Only --format html overlays several.');
  });

  it('--help lists html and how to overlay runs', async () => {
    const { code, stdout } = await cli(['report', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('md | junit | json | k6 | html');
    expect(stdout).toContain('report base/result.json new/result.json'); // then -f html (wrapped)
    expect(stdout).toContain('Two runs overlaid');
  });
});
