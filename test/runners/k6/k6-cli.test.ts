/**
 * `nexus-harness k6 export|run` through the CLI in process. `k6 run` with a real k6 runs only
 * where one is found (K6_BIN or PATH; none can be installed here) and says so when skipped;
 * the run pipeline itself is tested everywhere with a stand-in k6 (a Node script) that checks
 * what it is given and writes k6's recorded points.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/engine/result/types.js';
import { findK6 } from '../../../harness/runners/k6/index.js';
import { runCliInProcess as cli } from '../../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'nh-k6-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const GOLDEN = join('test', 'runners', 'k6', 'golden');
const NO_K6 = { K6_BIN: '', PATH: '/nonexistent' };

/**
 * A stand-in k6: checks its arguments and environment like k6 would use them, copies a
 * recorded NDJSON to `--out json=…` and exits with `code`.
 */
function fakeK6(points: string, code: number): string {
  const file = join(tmp, `k6-${code}`);
  writeFileSync(
    file,
    `#!${process.execPath}
const { copyFileSync, readFileSync } = require('node:fs');
const args = process.argv.slice(2);
const out = args[args.indexOf('--out') + 1];
if (args[0] !== 'run' || !out.startsWith('json=')) { console.error('bad args ' + args.join(' ')); process.exit(107); }
if (!/^http:\\/\\/127\\.0\\.0\\.1:\\d+/.test(process.env.NEXUS_BASE_URL || '') || !process.env.NEXUS_API_KEY) { console.error('no env'); process.exit(107); }
if (!readFileSync(args[args.length - 1], 'utf8').includes("http.setResponseCallback")) process.exit(107);
console.log('fake k6: wrote points');
copyFileSync(${JSON.stringify(resolve(points))}, out.slice('json='.length));
process.exit(${code});
`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('nexus-harness k6 export', () => {
  it('writes the golden script with -o', async () => {
    const out = join(tmp, 'steady.js');
    const outcome = await cli(['k6', 'export', 'steady', '-o', out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(GOLDEN, 'steady.k6.js'), 'utf8'));
  });

  it('prints to stdout and takes --duration/--rate/--vus as run does', async () => {
    const outcome = await cli(['k6', 'export', 'steady', '--duration', '5s', '--rate', '7', '--vus', '3']);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/"duration": "5s"/);
    expect(outcome.stdout).toMatch(/"rate": 7,/);
    expect(outcome.stdout).toMatch(/"preAllocatedVUs": 3,/);
  });

  it('exits 2 naming what k6 cannot do or what is wrong', async () => {
    const chat = await cli(['k6', 'export', 'chat-app']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toMatch(/op 'chat' has no k6 form/);
    const rate = await cli(['k6', 'export', 'smoke', '--rate', '5']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate applies to arrival-rate executors/);
    const vus = await cli(['k6', 'export', 'smoke', '--vus', '-1']);
    expect(vus.code).toBe(2);
    expect(vus.stderr).toMatch(/--vus must be a positive integer/);
  });
});

describe('nexus-harness k6 run', () => {
  it('without a k6 binary: exit 2, saying how to get one', async () => {
    const outcome = await cli(['k6', 'run', 'smoke'], { env: NO_K6 });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    expect(outcome.stderr).toMatch(/K6_BIN/);
  });

  it('refuses a non-loopback --url as run does', async () => {
    const outcome = await cli(['k6', 'run', 'smoke', '--url', 'http://192.0.2.1/api/public'], {
      env: { K6_BIN: fakeK6(join('test', 'fixtures', 'k6-samples', 'points.ndjson'), 0) },
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/allow-remote/);
  });

  it('runs k6 with --out json against the mock, imports the points and judges them (a stand-in k6)', async () => {
    const out = join(tmp, 'k6-run-result.json');
    const k6 = fakeK6(join('test', 'fixtures', 'k6-samples', 'points-failed.ndjson'), 99);
    const outcome = await cli(
      ['k6', 'run', 'smoke', '-o', out, '--threshold', 'op_duration{op:send_message}=p(95)<0.001'],
      { env: { K6_BIN: k6 } },
    );
    expect(outcome.stderr).toContain('fake k6: wrote points');
    expect(outcome.code, outcome.stderr).toBe(99);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.verdict).toBe('failed');
    const failed = result.thresholds.filter((t) => !t.ok).map((t) => t.metric);
    expect(failed).toContain('op_duration{op:send_message}');
    expect(result.notices!.join('\n')).toMatch(/k6 exited 99/);
    // The scenario's audit thresholds: n/a (no ledger in k6's output), not failed.
    expect(result.thresholds.find((t) => t.metric === 'duplicates')?.status).toBe('n/a');
  });

  it('with a real k6 (K6_BIN or PATH): runs smoke against the mock', async ({ skip }) => {
    const k6 = await findK6(process.env).catch(() => null);
    if (k6 === null) {
      console.warn(
        'skipped: no k6 binary (K6_BIN unset, none on PATH); install: https://grafana.com/docs/k6/latest/set-up/install-k6/',
      );
      skip();
      return;
    }
    const out = join(tmp, 'real-k6.json');
    const outcome = await cli(['k6', 'run', 'smoke', '--duration', '3s', '--quiet', '-o', out]);
    expect([0, 99], outcome.stderr).toContain(outcome.code);
    expect(existsSync(out)).toBe(true);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.metrics.http_reqs!.values.length).toBeGreaterThan(0);
  }, 60_000);
});
