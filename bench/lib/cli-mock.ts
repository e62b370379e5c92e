import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CLI_ENTRY } from './build.js';
import { trackChild } from './children.js';
import { nodeCommand } from './cpu-pinning.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The mock as `nexus-harness mock` serves it, in a child process. */
export interface CliMock {
  /** `http://127.0.0.1:PORT`: the admin API is under `/__admin`. */
  origin: string;
  /** `http://127.0.0.1:PORT/api/public`: what `--url` takes. */
  baseUrl: string;
  /** The child's pid, to read its RSS or CPU from procfs. */
  pid: number;
  /** Stops it (SIGTERM; SIGKILL 5 s later) and waits for it to exit. Idempotent. */
  stop: () => Promise<void>;
  /**
   * Releases every entry its ledger holds (`POST /__admin/ledger/compact`), so the next run
   * meets the mock as the last one did: a load that nobody audits (autocannon) leaves its
   * requests held, and a mock holding a million of them collects garbage longer.
   */
  releaseLedger: () => Promise<void>;
}

/** A seq past any a bench reaches: the compact endpoint releases up to the last one handed out. */
const PAST_EVERY_SEQ = '999999999999999';

/** How long the mock has to print its listening line, ms. */
const START_TIMEOUT_MS = 15_000;
/** The mock's own bound on a graceful close is 2 s; this leaves it room, then kills. */
const STOP_GRACE_MS = 5_000;
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)(\/\S*)/;

/**
 * Starts the built CLI's mock (`node dist/cli/main.js mock --port 0 --no-limits-enabled`
 * plus `extraArgs`) in a separate process, on loopback, and resolves once it prints its
 * listening URL; on the cores `cpus` lists when it is set (`taskset -c`). The mock gets its own event loop and cores' share, so what the harness under
 * test costs is not mixed with what the mock costs. Run `ensureBuilt()` first.
 *
 * @example
 * const mock = await startCliMock();
 * try { … `--url ${mock.baseUrl}` … } finally { await mock.stop(); }
 */
export function startCliMock(extraArgs: readonly string[] = [], cpus?: string): Promise<CliMock> {
  const [command, argv] = nodeCommand(cpus, [
    CLI_ENTRY,
    'mock',
    '--port',
    '0',
    '--no-limits-enabled',
    ...extraArgs,
  ]);
  const child = trackChild(
    spawn(command, argv, {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let errTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString('utf8')).slice(-2_048);
  });
  const stop = (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `Failed to start the mock (${CLI_ENTRY} mock): ${why}. Run it by hand to see why.${errTail ? `\n${errTail}` : ''}`,
        ),
      );
    };
    const timer = setTimeout(() => fail(`no listening line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('error', (err) => fail(err.message));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`it exited (code ${code}, signal ${signal}) before listening`);
    child.once('exit', onEarlyExit);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      lines.close();
      // Keep draining stdout so the mock never blocks on a full pipe.
      child.stdout.resume();
      const origin = match[1]!;
      const releaseLedger = async (): Promise<void> => {
        const res = await fetch(`${origin}/__admin/ledger/compact?through=${PAST_EVERY_SEQ}`, {
          method: 'POST',
          redirect: 'error',
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok)
          throw new Error(`Failed to release the mock's ledger: HTTP ${res.status} ${await res.text()}`);
      };
      resolve({ origin, baseUrl: `${origin}${match[2]}`, pid: child.pid!, stop, releaseLedger });
    });
  });
}
