/**
 * `runK6`: export the scenario, run it with a real k6 (`k6 run --out json=<tmp>`), import the
 * points into our result model and judge them with the scenario's thresholds. k6's own exit
 * code is kept in a notice; the verdict is ours (`judge()`), so it is the same as `import`'s.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../../../../scenarios/model/scenario.js';
import type { RunResult } from '../../../engine/result/types.js';
import { HarnessError } from '../../../util/errors.js';
import { exportK6Script } from '../export/export-script.js';
import { importK6File, type ThresholdMap } from '../import/import-k6.js';

/** Options of {@link runK6}. */
export interface K6RunOptions {
  /** The k6 binary (see `findK6`). */
  k6: string;
  /** Base URL of the Nexus API the script sends to (`NEXUS_BASE_URL`). */
  baseUrl: string;
  /** The API key (`NEXUS_API_KEY`, passed in k6's environment, never on its command line). */
  apiKey: string;
  /** k6's environment besides those two. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** More thresholds to judge (as `--threshold`). */
  thresholds?: ThresholdMap;
  /** Stops k6 as Ctrl-C would (SIGINT: it ends gracefully and writes its output). */
  signal?: AbortSignal;
  /** k6's own output (its progress and summary), as it comes. Default: dropped. */
  onOutput?: (chunk: string) => void;
}

/** k6's exit codes that still leave a complete run: 0, and 99 (thresholds failed). */
const K6_COMPLETED = new Set([0, 99]);

/**
 * Runs `scenario` with k6 and returns our judged result (`verdict` from `judge()`).
 * Rejects when k6 could not run the script (an exit code other than 0 or 99).
 *
 * @example
 * const result = await runK6(scenario, { k6: '/usr/local/bin/k6', baseUrl, apiKey });
 * process.exitCode = result.passed ? 0 : 99;
 */
export async function runK6(scenario: Scenario, options: K6RunOptions): Promise<RunResult> {
  const script = exportK6Script(scenario);
  const dir = await mkdtemp(join(tmpdir(), 'nexus-k6-'));
  try {
    const scriptFile = join(dir, 'script.js');
    const points = join(dir, 'points.ndjson');
    await writeFile(scriptFile, script);
    const code = await spawnK6(options, ['run', '--out', `json=${points}`, scriptFile]);
    if (code === null || !K6_COMPLETED.has(code)) {
      throw new HarnessError(
        'NH_K6_FAILED',
        `Failed to run scenario ${scenario.name} with k6: k6 exited ${code ?? 'on a signal'} (0 or 99 expected; its output above says why).`,
      );
    }
    const { result } = await importK6File(points, { scenario, thresholds: options.thresholds });
    const agree = (code === 0) === result.passed;
    result.notices = [
      ...(result.notices ?? []),
      `k6 exited ${code}${agree ? '' : ` but judge() says ${result.verdict}: k6 judged only the thresholds in its script, judge() all of the scenario's that a k6 run measures`}`,
    ];
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnK6(options: K6RunOptions, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.k6, args, {
      env: {
        ...(options.env ?? process.env),
        NEXUS_BASE_URL: options.baseUrl,
        NEXUS_API_KEY: options.apiKey,
        // k6 reports usage to Grafana unless told not to; a test harness should not.
        K6_NO_USAGE_REPORT: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) => options.onOutput?.(chunk.toString('utf8'));
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const onAbort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        new HarnessError('NH_K6_FAILED', `Failed to start k6 (${options.k6}): ${err.message}.`, {
          cause: err,
        }),
      );
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(code);
    });
  });
}
