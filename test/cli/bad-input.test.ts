import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliOutcome, runCliBatch } from '../support/cli.js';

/**
 * Every malformed input of issue 8 ("bad input, refused before anything runs") is refused
 * with exit 2, naming the field or flag, without a stack trace, within 10 s, under a 512 MB
 * heap: inputs that used to exhaust the heap (1e9 VUs), spin (`--out /proc/…`, `1000h`) or
 * crash (a `null` scenario) must now be stopped by validation, not by the machine.
 */

const invalidDir = join('test', 'fixtures', 'scenarios', 'invalid');
const scratch = mkdtempSync(join(tmpdir(), 'nexus-bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const aFile = join(scratch, 'a-file.txt');
writeFileSync(aFile, 'not a folder');
const deepJson = join(scratch, 'deep.json');
writeFileSync(deepJson, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);

/**
 * The budget of one refusal: 10 s of CPU (user + system). CPU, not wall-clock time, because
 * this 2-core machine is shared and a loaded one stretches any wall-clock figure; a spin (the
 * old `--out /proc/…`) burns CPU and is caught all the same. All cases run in one process of
 * their own (test/support/cli-batch.ts: the heap limit must be that process's, not the test
 * runner's), one after the other, each measured with `process.cpuUsage()`; a case that has
 * not finished `HARD_STOP_MS` after it started has hung, and the process is killed.
 */
const CPU_BUDGET_S = 10;
const HARD_STOP_MS = 30_000;

/** Runs every case in one child under a 512 MB heap; rejects naming the case that hung or crashed. */
function runBatch(cases: readonly string[][]): Promise<CliOutcome[]> {
  return runCliBatch(cases, {
    env: { NODE_OPTIONS: '--max-old-space-size=512' },
    killAfterMs: HARD_STOP_MS,
  }).then((batch) => batch.outcomes);
}

/** [what, arguments, texts stderr must contain (the field or flag, and what is wrong)]. */
const CASES: [string, string[], string[]][] = [
  // 8: the output folder, checked before the target opens
  ['--out a file', ['run', 'smoke', '--out', aFile], ['--out', 'is a file']],
  ['--out under a file', ['run', 'smoke', '--out', join(aFile, 'sub')], ['--out', 'cannot be made under it']],
  ["--out ''", ['run', 'smoke', '--out', ''], ['--out: is empty']],
  ['--out under /proc', ['run', 'smoke', '--out', '/proc/nexus-harness-out'], ['--out', 'proc file system']],
  // 9: sizes that cannot run
  [
    'sizes in a scenario file',
    ['run', join(invalidDir, 'sizes-too-large.json'), '--no-out'],
    [
      'executors.closed.vus: expected at most 20,000 VUs',
      'executors.closed.duration: expected a duration of at most 24h',
      'executors.open.rate: expected at most 100,000 iterations',
      'executors.open.duration: expected a duration of at most 24h',
      'executors.open.preAllocatedVUs',
      'executors.counted.iterations: expected at most 10,000,000',
      'executors.ramp.stages[0].target',
    ],
  ],
  [
    '--vus 1e9',
    ['run', 'smoke', '--vus', '1e9', '--no-out'],
    ['--vus 1000000000 is above the limit of 20,000'],
  ],
  [
    '--rate 1e9',
    ['run', 'steady', '--rate', '1e9', '--no-out'],
    ['--rate 1000000000 is above the limit of 100,000'],
  ],
  [
    '--duration 1000h',
    ['run', 'smoke', '--duration', '1000h', '--no-out'],
    ['--duration 1000h is above the limit of 24h'],
  ],
  [
    '--duration 1e300',
    ['run', 'smoke', '--duration', '1e300', '--no-out'],
    ['--duration "1e300" is not a duration'],
  ],
  // 10: what used to end in a stack trace with exit 1
  [
    'a null scenario',
    ['run', join(invalidDir, 'null-scenario.json'), '--no-out'],
    ['(root): expected object'],
  ],
  ['10,000-deep JSON', ['run', deepJson, '--no-out'], ['nested deeper than 64 levels']],
  [
    '--threshold toString, __proto__, constructor',
    [
      'run',
      'smoke',
      '--no-out',
      '--threshold',
      'toString=count==0',
      '--threshold',
      '__proto__=count==0',
      '--threshold',
      'constructor=count==0',
    ],
    [
      'Invalid --threshold: 3 problem(s)',
      "toString: unknown metric 'toString'",
      '__proto__: "__proto__" is not allowed',
      "constructor: unknown metric 'constructor'",
    ],
  ],
  [
    "--url 'not a url'",
    ['run', 'smoke', '--target', 'url', '--url', 'not a url'],
    ['--url "not a url" is not an http(s) URL'],
  ],
  [
    '--target twice',
    ['run', 'smoke', '--target', 'url', '--target', 'mock'],
    ['--target was given 2 times (url, mock)'],
  ],
  [
    '--url twice',
    ['run', 'smoke', '--target', 'url', '--url', 'http://127.0.0.1:1/a', '--url', 'http://127.0.0.1:2/b'],
    ['--url was given 2 times'],
  ],
  [
    '__proto__ in thresholds and mix',
    ['run', join(invalidDir, 'reserved-keys.json'), '--no-out'],
    ['thresholds.__proto__: "__proto__" is not allowed', 'workload.mix.__proto__'],
  ],
  // 13: flags that would be ignored
  [
    '--url without --target url',
    ['run', 'smoke', '--url', 'http://127.0.0.1:1/api'],
    ['--url is only used with --target url or pact'],
  ],
  [
    '--pact-file without --target pact',
    ['run', 'smoke', '--pact-file', 'x.json'],
    ['--pact-file is only used with --target pact'],
  ],
  [
    '--rate without an arrival-rate executor',
    ['run', 'smoke', '--rate', '50'],
    ['--rate has no effect on scenario smoke'],
  ],
  [
    '--target url without a URL (and --vus on arrival-rate only: a warning)',
    ['run', 'steady', '--vus', '3', '--target', 'url'],
    ['warning: --vus 3 only sets the pre-allocated VUs of main', '--target url needs --url'],
  ],
  // 14: typos get "did you mean"
  ['an unknown command', ['lsit'], ['Unknown command: lsit. Did you mean "list"?']],
  ['an unknown flag', ['run', 'smoke', '--vsu', '3'], ['Unknown flag --vsu. Did you mean --vus?']],
  ['an unknown scenario', ['run', 'smok'], ['Unknown scenario "smok". Did you mean "smoke"?']],
];

describe('bad input is refused up front (exit 2, named, no stack trace, under a 512 MB heap)', () => {
  it(`refuses all ${CASES.length} malformed inputs, each within ${CPU_BUDGET_S} s of CPU`, async () => {
    const outcomes = await runBatch(CASES.map(([, args]) => args));
    outcomes.forEach((outcome, i) => {
      const [what, , expected] = CASES[i]!;
      const context = `${what}\n${outcome.stderr}`;
      expect(outcome.cpuS, `${what}: CPU seconds`).toBeLessThan(CPU_BUDGET_S);
      expect(outcome.code, context).toBe(2);
      for (const text of expected) expect(outcome.stderr, context).toContain(text);
      expect(outcome.stderr, context).not.toMatch(/^ {4}at /m);
      // The error and where to look, not the whole help (which is 40-odd lines).
      expect(outcome.stderr.split('\n').length, context).toBeLessThan(16);
    });
  }, 180_000);
});
