import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli as runCliIn } from '../../harness/cli/run-cli.js';

/** The repository's root: the CLI is run from there, whatever the test's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a CLI process left behind. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** User + system CPU seconds of the case: {@link runCliBatch} only, which measures each case. */
  cpuS?: number;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Added to the test's environment (which gets `CI=true`: plain progress lines). */
  env?: NodeJS.ProcessEnv;
  /** Sees stderr so far, as it arrives (to send a signal mid-run, say). */
  onStderr?: (stderrSoFar: string, child: ChildProcess) => void;
  /** Kill the process (SIGKILL) if it is still running after this long, ms. Default 100 000. */
  killAfterMs?: number;
}

/**
 * Runs `nexus-harness` from source (`npm test` has no build step) in its own process and
 * resolves when it has exited, with its exit code and output. For the few end-to-end tests
 * of the bin itself (signals, a real run, the module-load budget); the rest use
 * {@link runCliInProcess}, which costs no process start-up.
 *
 * @example
 * const { code, stderr } = await runCli(['validate', 'test/fixtures/scenarios/invalid/negative-rate.json']);
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      options.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What {@link runCliBatch} saw. */
export interface CliBatch {
  /** Each case's own outcome (what its invocation wrote to its streams), in order. */
  outcomes: CliOutcome[];
  /**
   * Everything the process printed, fd 1 and fd 2: the protocol lines (which quote each case's
   * output) and anything written past a case's streams (Pact's native core writes to the
   * process's fds), so a leak check over it sees all the process printed.
   */
  stdout: string;
  stderr: string;
}

/**
 * Runs every `cases` argv through `runCli` in one process of its own
 * (test/support/cli-batch.ts), one after the other, with the test's environment plus
 * `options.env`: the cost of one process start-up for many cases, each with its output
 * captured apart. Rejects, naming the case, when one has not finished after `killAfterMs`
 * (default 100 000) or the process died.
 *
 * @example
 * const { outcomes, stdout, stderr } = await runCliBatch([['list'], ['validate', 'smoke']]);
 */
export function runCliBatch(
  cases: readonly (readonly string[])[],
  options: Pick<RunCliOptions, 'env' | 'killAfterMs'> = {},
): Promise<CliBatch> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/cli-batch.ts', JSON.stringify(cases)],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
      },
    );
    const outcomes: CliOutcome[] = [];
    let current = -1;
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 100_000);
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const start = /^nexus-batch start (\d+)$/.exec(line);
        if (start) {
          current = Number(start[1]);
          watch();
        } else if (line.startsWith('nexus-batch done ')) {
          const {
            code,
            stdout: out,
            stderr: err,
            cpuS,
          } = JSON.parse(line.slice('nexus-batch done '.length)) as CliOutcome;
          outcomes.push({ code, stdout: out, stderr: err, cpuS });
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    watch();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (outcomes.length === cases.length) resolve({ outcomes, stdout, stderr });
      else
        reject(
          new Error(
            `case ${current} (${JSON.stringify(cases[current])}) did not finish: ` +
              `${signal ?? `exit ${code}`}\n${stderr}`,
          ),
        );
    });
  });
}

/** Options of {@link runCliInProcess}. */
export interface InProcessOptions {
  /** Added to the test's environment (which gets `CI=true`: plain progress lines). */
  env?: NodeJS.ProcessEnv;
  /** Stops a `run` (or a serving `mock`) as Ctrl-C would. */
  signal?: AbortSignal;
  /** Sees stdout so far, as it arrives. */
  onStdout?: (stdoutSoFar: string) => void;
  /** Sees stderr so far, as it arrives. */
  onStderr?: (stderrSoFar: string) => void;
}

/** A stream that hands each write, as text, to `onText`. */
function textSink(onText: (text: string) => void): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Uint8Array, _encoding, callback) {
      onText(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      callback();
    },
  });
}

/**
 * Runs `nexus-harness` in this process through `runCli` (what the bin calls), with its output
 * captured, its environment the test's plus `options.env`, and `options.signal` as its
 * Ctrl-C. Same outcome shape as {@link runCli}; the code is never null (nothing kills it).
 *
 * @example
 * const { code, stderr } = await runCliInProcess(['validate', 'test/fixtures/scenarios/invalid/negative-rate.json']);
 */
export async function runCliInProcess(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCliIn(args, {
    stdout: textSink((text) => {
      stdout += text;
      options.onStdout?.(stdout);
    }),
    stderr: textSink((text) => {
      stderr += text;
      options.onStderr?.(stderr);
    }),
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
    signal: options.signal,
  });
  return { code, stdout, stderr };
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
