/** `nexus-harness run --report`: the reports beside result.json, the run metadata in it, bad formats exit 2. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResult } from '../../harness/engine/result/parse-result.js';
import { runCliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nh-run-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nexus-harness run --report', () => {
  it('writes the reports beside result.json, with the run metadata in the result', async () => {
    const out = join(dir, 'run');
    const summary = join(dir, 'run-step-summary.md');
    const { code, stderr } = await cli(
      [
        'run',
        'smoke',
        '--duration',
        '1s',
        '--seed',
        '5',
        '--quiet',
        '--out',
        out,
        '--report',
        'md,junit',
        '--report',
        'k6',
      ],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(code, stderr).toBe(0);
    const result = parseResult(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.meta).toMatchObject({
      node: process.version,
      unsafeIgnoreRateLimits: false,
      seed: 5,
      commandLine: expect.stringMatching(
        /^nexus-harness run smoke --duration 1s --seed 5 .*--report md --report junit --report k6/,
      ),
    });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /^### nexus-harness: `smoke` — ✅ \*\*PASSED\*\*/,
    );
    expect(readFileSync(summary, 'utf8')).toBe(readFileSync(join(out, 'summary.md'), 'utf8') + '\n');
    expect(XMLValidator.validate(readFileSync(join(out, 'junit.xml'), 'utf8'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'k6-summary.json'), 'utf8')).metrics.op_duration).toHaveProperty(
      'p(95)',
    );
  });

  it('exits 2 before running on an unknown format, or --report with --no-out', async () => {
    const unknown = await cli(['run', 'smoke', '--report', 'md,pdf']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "Unknown report format 'pdf' in --report: expected md, junit, json, k6 or html",
    );
    const noOut = await cli(['run', 'smoke', '--no-out', '--report', 'md']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--report writes beside result.json');
  });
});
