import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../../harness/util/package-root.js';
import type { Redactor } from '../../harness/util/redact.js';
import { VERIFIER_PROCESS_FLAG, type VerifierJob, type VerifierOutcome } from './verifier-protocol.js';

/** How {@link runVerifierProcess} runs the child and where its output goes. */
export interface VerifierProcessOptions {
  /** Every byte the child prints passes through it. */
  redactor: Redactor;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The child is killed after this long, ms. */
  timeoutMs: number;
  /** The provider is on loopback: the child gets no HTTP(S)_PROXY (pact-js would send through it). */
  loopback: boolean;
}

/**
 * The child's entry file and the flags it needs: beside this one under tsx or vitest (`.ts`);
 * once built, tsc's `dist/contracts/provider/verifier-process.js`, found from the package root
 * because this code may run from the bundled bin's chunks (dist/cli/), which have no such file
 * beside them.
 */
function childEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (extname(here) !== '.ts') {
    return {
      file: join(packageRoot(), 'dist', 'contracts', 'provider', 'verifier-process.js'),
      execArgv: [],
    };
  }
  const file = join(dirname(here), 'verifier-process.ts');
  // From source: load TypeScript through tsx (a dev dependency); without it, with whatever
  // loader this process was started with.
  try {
    return {
      file,
      execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
    };
  } catch {
    return { file, execArgv: process.execArgv };
  }
}

/**
 * Runs `job` in a child process (see `verifier-process.ts`), passing its stdout and stderr
 * through `options.redactor` to `options.stdout`/`options.stderr`, and resolves with its
 * outcome once the child has exited and its output is written. A child that dies, or outlives
 * `timeoutMs`, gives a failed outcome saying so.
 *
 * @example
 * const outcome = await runVerifierProcess(job, { redactor, stdout: process.stdout, stderr: process.stderr, timeoutMs: 300_000, loopback: true });
 */
export function runVerifierProcess(
  job: VerifierJob,
  options: VerifierProcessOptions,
): Promise<VerifierOutcome> {
  const { file, execArgv } = childEntry();
  const env: NodeJS.ProcessEnv = { ...process.env, PACT_DO_NOT_TRACK: 'true' };
  if (options.loopback) {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
  }
  const child = fork(file, [VERIFIER_PROCESS_FLAG], {
    execArgv,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const drained = [
    [child.stdout!, options.stdout],
    [child.stderr!, options.stderr],
  ].map(
    ([from, to]) =>
      new Promise<void>((resolve) => {
        const redacting = (from as NodeJS.ReadableStream).pipe(options.redactor.stream());
        redacting.on('data', (text: Buffer | string) => (to as NodeJS.WritableStream).write(text));
        redacting.on('end', resolve);
        redacting.on('error', () => resolve());
      }),
  );
  let outcome: VerifierOutcome | null = null;
  // The child says `ready` once it listens (a message sent earlier, while it still loads, would be lost).
  child.on('message', (message) => {
    if (message === 'ready') child.send(job);
    else outcome = message as VerifierOutcome;
  });
  return new Promise<VerifierOutcome>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const finish = async (why: string) => {
      clearTimeout(timer);
      await Promise.all(drained);
      resolve(outcome ?? { raw: why, coreFailed: true, redirects: [] });
    };
    child.on('error', (err) => void finish(`Failed to start the verifier process: ${err.message}`));
    child.on(
      'exit',
      (code, signal) =>
        void finish(
          timedOut
            ? `The verifier process did not finish within ${options.timeoutMs} ms and was stopped.`
            : `The verifier process exited (${signal ?? `code ${code}`}) without a result.`,
        ),
    );
  });
}
