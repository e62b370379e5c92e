import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricData } from '../../harness/engine/recorder/index.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import { parseResult } from '../../harness/engine/result/parse-result.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { CLI_ENTRY } from './build.js';
import { type CpuAtExit, runNodeChild } from './child-run.js';
import { MOCK_API_KEY } from './mock-thread.js';

/** One cold run of the CLI: its result document and what the whole process cost. */
export interface CliRun {
  result: RunResult;
  /** `result.metrics`, decoded (histograms included). */
  data: MetricData[];
  /** The process's CPU and peak RSS from its start to its exit. */
  cpu: CpuAtExit;
  /** Spawn to exit, ms. */
  wallMs: number;
  /** 0 (every threshold passed) or 99 (one failed, e.g. `completion` after a drop). */
  exitCode: 0 | 99;
}

/** Options of {@link runCliScenario}. */
export interface CliRunOptions {
  /** The scenario document, written to a temp file as JSON. */
  scenario: Record<string, unknown>;
  /** `--url`: the API's base URL, loopback only (the CLI refuses anything else without --allow-remote). */
  baseUrl: string;
  /** Wall-clock bound on the whole process, ms; then it is killed and this rejects. */
  timeoutMs: number;
  /** Called with the CLI's pid once spawned (e.g. to sample its RSS). */
  onSpawn?: (pid: number) => void;
  /** Cores to run on (`taskset -c`, see cpu-pinning.ts). Default: wherever the scheduler puts it. */
  cpus?: string;
}

/**
 * Runs `node dist/cli/main.js run <scenario.json> --target url --url BASE --quiet
 * --out <tmp>` as a fresh process (nothing warmed: this is the cold start a user gets), with
 * bench/lib/cpu-at-exit.mjs preloaded, and reads back its result.json. Exit 0 and 99 both
 * count as a run (99: a threshold failed, the result is still whole); any other exit, a
 * timeout or a missing result rejects with the CLI's last stderr lines. Node process warnings
 * the CLI printed (e.g. MaxListenersExceededWarning) are repeated on this process's stderr.
 * The temp files are removed. Run `ensureBuilt()` first.
 *
 * @example
 * const run = await runCliScenario({ scenario, baseUrl: mock.baseUrl, timeoutMs: 60_000 });
 * const outsideMs = run.cpu.userMs + run.cpu.systemMs - (run.result.generator.cpu.userMs + run.result.generator.cpu.systemMs);
 */
export async function runCliScenario(options: CliRunOptions): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'nh-bench-cold-'));
  try {
    const scenarioFile = join(dir, 'scenario.json');
    const outDir = join(dir, 'out');
    writeFileSync(scenarioFile, `${JSON.stringify(options.scenario, null, 2)}\n`);
    const run = await runNodeChild({
      args: [
        CLI_ENTRY,
        'run',
        scenarioFile,
        '--target',
        'url',
        '--url',
        options.baseUrl,
        '--quiet',
        '--out',
        outDir,
      ],
      // The mock's demo key, whatever the caller's shell exports.
      env: { NEXUS_API_KEY: MOCK_API_KEY },
      timeoutMs: options.timeoutMs,
      onSpawn: options.onSpawn,
      cpus: options.cpus,
    });
    const how = run.timedOut
      ? `was killed after ${options.timeoutMs} ms`
      : `exited with ${run.code ?? run.signal}`;
    if (run.timedOut || (run.code !== 0 && run.code !== 99)) {
      throw new Error(
        `Failed to run the CLI cold: it ${how}. Its stderr ends:\n${run.stderrTail || '(empty)'}\n${run.stdout.slice(-2_000)}`,
      );
    }
    if (run.cpu === null) {
      throw new Error(`Failed to measure the CLI's CPU: it ${how} without writing its figures at exit.`);
    }
    const resultFile = join(outDir, 'result.json');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch (err) {
      throw new Error(`Failed to read the CLI's result (${resultFile}): ${(err as Error).message}`, {
        cause: err,
      });
    }
    // Node's own warnings (a listener leak, a deprecation) are findings about the harness: say them.
    const warnings = new Set(
      run.stderrTail.split('\n').filter((line) => /^\(node:\d+\) \w*Warning/.test(line)),
    );
    for (const line of warnings)
      process.stderr.write(`  the CLI warned: ${line.replace(/^\(node:\d+\) /, '')}\n`);
    const result = parseResult(raw, resultFile);
    return {
      result,
      data: decodeResultMetrics(result.metrics),
      cpu: run.cpu,
      wallMs: run.wallMs,
      exitCode: run.code as 0 | 99,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
