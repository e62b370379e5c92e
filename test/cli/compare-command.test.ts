import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-harness-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A short open-model run against the mock, which answers in 10–30 ms (a latency fault), so
 * the latencies compared are the mock's and not this machine's scheduling jitter; `extraMs`
 * adds a fixed latency fault on top.
 */
function scenarioFile(name: string, extraMs: number): string {
  const faults: unknown[] = [{ type: 'latency', delay: { type: 'uniform', minMs: 10, maxMs: 30 } }];
  if (extraMs > 0) faults.push({ type: 'latency', delay: { type: 'fixed', ms: extraMs } });
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      target: 'mock',
      executors: {
        main: {
          executor: 'constant-arrival-rate',
          rate: 40,
          duration: '3s',
          preAllocatedVUs: 20,
          maxVUs: 100,
          gracefulStop: '2s',
        },
      },
      workload: { mix: { sendMessage: 3, poll: 2, getSession: 1 } },
      client: { rateLimit: { maxConcurrent: 64 } },
      mock: { limits: false, faults },
    }),
  );
  return path;
}

const result = (name: string) => join(dir, name, 'result.json');

async function runOnce(scenario: string, seed: number, out: string): Promise<void> {
  const outcome = await cli(['run', scenario, '--seed', String(seed), '--out', join(dir, out), '--quiet']);
  expect(outcome.code, outcome.stderr).toBe(0);
}

describe('nexus-harness compare', () => {
  // Three real 3 s runs, one after the other (no two compete for the CPU): ~12 s.
  beforeAll(async () => {
    const steady = scenarioFile('compare-steady', 0);
    const slow = scenarioFile('compare-slow', 150);
    await runOnce(steady, 1, 'baseline');
    await runOnce(steady, 2, 'other-seed');
    await runOnce(slow, 3, 'slow');
  }, 60_000);

  // A p99 of ~120 values is nearly the run's maximum, and the per-tag rows hold fewer still (a
  // p99 of `http_req_duration{op:send_message,status:2xx}` is of some 60): on a loaded 2-core
  // machine one scheduling hiccup moves it by tens of ms. Hence a tolerance of 50 %, and changes
  // under 60 ms not counted here: with the suite's other files (Chromium, worker processes) on the
  // other core, such a row was seen to move by more than 20 ms between two seeds. The injected
  // fault of the next test is 150 ms, and is caught there with a floor of 20 ms.
  it('flags no regression between two seeds of the same scenario, and the gate holds (exit 0)', async () => {
    const outcome = await cli([
      'compare',
      result('baseline'),
      result('other-seed'),
      '--tolerance',
      '50',
      '--min-change-ms',
      '60',
      '--max-regression',
      'op_duration:p(99)=+50%',
      '--format',
      'json',
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const c = JSON.parse(outcome.stdout);
    expect(c.breached).toEqual([]);
    // On a failure, the rows flagged, with their figures.
    const flagged = c.rows.filter((r: { label: string; stat: string }) =>
      c.regressions.includes(`${r.label} ${r.stat}`),
    );
    expect(c.regressions, JSON.stringify(flagged)).toEqual([]);
    expect(c.rows.map((r: { label: string }) => r.label)).toContain(
      'op_duration{executor:main,op:send_message}',
    );
  });

  it('flags 150 ms of injected latency and fails the gate (exit 99)', async () => {
    const outcome = await cli([
      'compare',
      result('baseline'),
      result('slow'),
      '--max-regression',
      'op_duration:p(99)=+50%',
      '--min-change-ms',
      '20',
    ]);
    expect(outcome.code, outcome.stderr).toBe(99);
    expect(outcome.stdout).toMatch(
      /^gate breached: op_duration:p\(99\)=\+50% \(op_duration \(all\) p\(99\)\)/m,
    );
    expect(outcome.stdout).toMatch(/^op_duration \(all\)\s+p\(99\)\s.*BREACH$/m);
    expect(outcome.stdout).toMatch(/^op_duration\{executor:main,op:poll\}\s+p\(50\)\s.*regression$/m);
  });

  it('reports without a gate: regressions flagged, exit 0; md also goes to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const outcome = await cli(['compare', result('baseline'), result('slow'), '-f', 'md'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('## nexus-harness compare');
    expect(outcome.stdout).toMatch(/\| op_duration \(all\) \| p\(99\) \|.*\| \*\*regression\*\* \|/);
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${outcome.stdout}\n`);
  });

  it('rejects bad expressions, formats and files (exit 2), naming each', async () => {
    const bad = await cli([
      'compare',
      result('baseline'),
      result('slow'),
      '--max-regression',
      'op_duration:p(95)=+10%',
      '--max-regression',
      'ops:rate<10',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'op_duration:p(95)=+10%': unknown STAT 'p(95)'");
    expect(bad.stderr).toContain("'ops:rate<10'");
    expect(bad.stderr).toContain('STAT one of p(50), p(90), p(99)');
    const format = await cli(['compare', result('baseline'), result('slow'), '-f', 'html']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("Unknown --format 'html': expected text, md, json");
    const missing = await cli(['compare', join(dir, 'nope.json'), result('slow')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Failed to read the baseline');
  });
});
