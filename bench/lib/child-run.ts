import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackChild } from './children.js';
import { nodeCommand } from './cpu-pinning.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cpuAtExitUrl = new URL('./cpu-at-exit.mjs', import.meta.url).href;

/** A child's whole cost, read by bench/lib/cpu-at-exit.mjs as the child exited. */
export interface CpuAtExit {
  /** User CPU from the process's start to its exit, ms. */
  userMs: number;
  /** System CPU from the process's start to its exit, ms. */
  systemMs: number;
  /** Peak resident set size, kB. */
  maxRssKb: number;
}

/** How a child run ended and what it cost. */
export interface ChildRun {
  /** Exit code; null when it was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Everything it wrote to stdout (capped at `maxStdoutBytes`). */
  stdout: string;
  /** The last 4 kB of its stderr, to explain a failure. */
  stderrTail: string;
  /** Null when the child did not reach its 'exit' event (killed, crashed hard). */
  cpu: CpuAtExit | null;
  /** Spawn to exit, ms (wall clock of this process). */
  wallMs: number;
  /** True when `timeoutMs` ran out and the child was killed. */
  timedOut: boolean;
}

/** Options of {@link runNodeChild}. */
export interface ChildRunOptions {
  /** Arguments after `node`, e.g. `['dist/cli/main.js', 'run', …]`; paths relative to the repo root. */
  args: readonly string[];
  /** Extra environment. */
  env?: Record<string, string>;
  /** Node flags before the script, e.g. `['--import', 'tsx']`. */
  nodeFlags?: readonly string[];
  /** Wall-clock bound, ms: then SIGTERM, and SIGKILL 5 s later. Required: every bench loop is bounded. */
  timeoutMs: number;
  /** Called with the child's pid once it is spawned (e.g. to sample its RSS). */
  onSpawn?: (pid: number) => void;
  /** Stdout kept, bytes. Default 16 MB (autocannon's JSON is a few kB). */
  maxStdoutBytes?: number;
  /** Cores to run on (`taskset -c`, see cpu-pinning.ts). Default: wherever the scheduler puts it. */
  cpus?: string;
}

const STDERR_TAIL_BYTES = 4_096;
const KILL_GRACE_MS = 5_000;

/**
 * Runs `node [nodeFlags] --import bench/lib/cpu-at-exit.mjs ARGS` from the repo root as a
 * fresh process and resolves when it has exited, with its whole CPU time (start-up and exit
 * included) as it measured itself at exit. Never rejects on a non-zero exit: the caller
 * decides what an exit code means (the CLI exits 99 when a threshold failed, and still wrote
 * its result). Rejects only when the process could not be started. The child is killed if
 * it outlives `timeoutMs`, and with this process (see trackChild).
 *
 * @example
 * const run = await runNodeChild({ args: ['node_modules/autocannon/autocannon.js', '-j', url], timeoutMs: 30_000 });
 * console.log(run.cpu!.userMs + run.cpu!.systemMs, JSON.parse(run.stdout).requests.total);
 */
export function runNodeChild(options: ChildRunOptions): Promise<ChildRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'nh-bench-cpu-'));
  const cpuFile = join(scratch, 'cpu.json');
  const started = performance.now();
  const [command, argv] = nodeCommand(options.cpus, [
    ...(options.nodeFlags ?? []),
    '--import',
    cpuAtExitUrl,
    ...options.args,
  ]);
  const child = trackChild(
    spawn(command, argv, {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, BENCH_CPU_AT_EXIT_FILE: cpuFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const maxStdout = options.maxStdoutBytes ?? 16 * 1024 * 1024;
  const out: Buffer[] = [];
  let outBytes = 0;
  let errTail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (outBytes >= maxStdout) return;
    out.push(chunk);
    outBytes += chunk.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  let timedOut = false;
  let force: NodeJS.Timeout | undefined;
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    force ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      cleanup();
      reject(new Error(`Failed to start node ${options.args.join(' ')}: ${err.message}`, { cause: err }));
    });
    child.once('close', (code, signal) => {
      const wallMs = performance.now() - started;
      cleanup();
      let cpu: CpuAtExit | null = null;
      try {
        const raw = JSON.parse(readFileSync(cpuFile, 'utf8')) as {
          userUs: number;
          systemUs: number;
          maxRssKb: number;
        };
        cpu = { userMs: raw.userUs / 1_000, systemMs: raw.systemUs / 1_000, maxRssKb: raw.maxRssKb };
      } catch {
        cpu = null; // no 'exit' event: killed by a signal it did not handle
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderrTail: errTail,
        cpu,
        wallMs,
        timedOut,
      });
    });
  });

  function cleanup() {
    clearTimeout(timer);
    if (force) clearTimeout(force);
  }
}
