import type { CliIo } from './cli-io.js';
import { addOutputSecret, redactProcessOutput } from './redacted-output.js';

/**
 * The bin's {@link CliIo}: the process's streams (redacted process-wide first, so nothing
 * that writes to them directly, Pact included, prints a known secret), its environment, its
 * SIGINT/SIGTERM and `process.exit`. Only the bin calls it; in process, pass your own io.
 *
 * @example
 * process.exitCode = await runCli(hideBin(process.argv), processIo());
 */
export function processIo(): CliIo {
  // Before anything can print: no known secret reaches the terminal or a CI log.
  redactProcessOutput(process.env);
  // `nexus-harness list | head -1`: the reader left, so the rest of the output has nowhere to go.
  // End quietly, as Unix tools do, instead of crashing on an unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    host: {
      onSignal(listener) {
        process.on('SIGINT', listener);
        process.on('SIGTERM', listener);
      },
      untilSignal() {
        return new Promise((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve(signal);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
      exit: (code) => process.exit(code),
      addOutputSecret,
    },
  };
}
