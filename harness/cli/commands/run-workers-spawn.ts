import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../util/package-root.js';

/**
 * How to start this CLI again in a child process, in the module mode this one runs in: the
 * built bin (`dist/cli/main.js`, the bundle, found from the package root: this code may itself
 * run from one of its chunks) when this module is JavaScript; from source (`harness/cli/main.ts`,
 * under tsx as the tests and `npx tsx` run it) when it is TypeScript, with tsx's loader given by
 * absolute URL, so the child finds it whatever its working folder.
 *
 * @example
 * const { execPath, args } = cliInvocation();
 * spawn(execPath, [...args, 'run', 'smoke']);
 */
export function cliInvocation(): { execPath: string; args: string[] } {
  if (!import.meta.url.endsWith('.ts')) {
    return { execPath: process.execPath, args: [join(packageRoot(), 'dist', 'cli', 'main.js')] };
  }
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  return { execPath: process.execPath, args: ['--import', import.meta.resolve('tsx'), main] };
}

/** One worker process of `run --workers`, as the parent follows it. */
export interface WorkerProcess {
  readonly index: number;
  /** Resolves with its exit code (a signal's death: 128 + its number, as a shell says) once it has exited. */
  readonly exited: Promise<number>;
  /** Everything it printed to stdout (its summary; shown when it failed). */
  stdout(): string;
  /** The last lines it printed to stderr (errors; shown when it failed). */
  stderrTail(): string;
  /** Asks it to stop gracefully (SIGTERM: it writes its partial result), once. */
  stop(): void;
  /** Kills it at once (SIGKILL). */
  kill(): void;
}

/** Lines of a worker's stderr kept for its error message. */
const STDERR_TAIL_LINES = 20;

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Starts worker `index`: this CLI with `args`, in `cwd` with `env`, in a process group of its
 * own (a Ctrl-C in the terminal reaches the parent only, which stops each worker once: two
 * signals would make a worker quit without its result). Each line it writes to stderr goes to
 * `onLine` as it comes (notices, warnings).
 *
 * @example
 * const w = startWorker(0, ['run', 'steady', '--segment', '0/2', …], { cwd, env, onLine: (l) => stderr.write(`[worker 0] ${l}\n`) });
 * const code = await w.exited;
 */
export function startWorker(
  index: number,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine: (line: string) => void },
): WorkerProcess {
  const cli = cliInvocation();
  const child: ChildProcess = spawn(cli.execPath, [...cli.args, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  const tail: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      if (line.trim() !== '') options.onLine(line);
    }
  });
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      tail.push(`failed to start: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      if (partial !== '') tail.push(partial);
      resolve(code ?? 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0)));
    });
  });
  let stopped = false;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    index,
    exited,
    stdout: () => stdout,
    stderrTail: () => tail.join('\n'),
    stop() {
      if (stopped || !alive()) return;
      stopped = true;
      child.kill('SIGTERM');
    },
    kill() {
      if (alive()) child.kill('SIGKILL');
    },
  };
}
