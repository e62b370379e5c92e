import { type ChildProcess, spawn } from 'node:child_process';

/** What a CLI process left behind. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Added to the test's environment (which gets `CI=true`: plain progress lines). */
  env?: NodeJS.ProcessEnv;
  /** Sees stderr so far, as it arrives (to send a signal mid-run, say). */
  onStderr?: (stderrSoFar: string, child: ChildProcess) => void;
}

/**
 * Runs `nexus-harness` from source (`npm test` has no build step) in its own process and
 * resolves when it has exited, with its exit code and output.
 *
 * @example
 * const { code, stderr } = await runCli(['validate', 'test/fixtures/scenarios/invalid/negative-rate.json']);
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr, child);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `tasks` with at most `limit` at once (each spawns a Node process; the machine has 2
 * cores), resolving with their results in order.
 *
 * @example
 * const outcomes = await pool(files.map((f) => () => runCli(['validate', f])), 2);
 */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}
