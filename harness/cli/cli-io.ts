/**
 * What the CLI talks to: two output streams, an environment, and what may stop it. The bin
 * passes the process's own ({@link processIo}); a test or another program passes its own
 * streams and an `AbortSignal`, and the CLI then never touches the process (no signal
 * handlers, no `process.exit`, no `process.exitCode`).
 */

/** An output stream of the CLI: anything Node can write and pipe to (`isTTY`/`columns` when a terminal). */
export type CliStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** The process's SIGINT/SIGTERM and its hard exit: the bin's, and only the bin's. */
export interface ProcessHost {
  /** Calls `listener` on every SIGINT and SIGTERM from now on (never removed: the process is ours). */
  onSignal(listener: (signal: NodeJS.Signals) => void): void;
  /** Resolves on the first SIGINT or SIGTERM, and stops listening. */
  untilSignal(): Promise<NodeJS.Signals>;
  /** Ends the process at once (`process.exit`): for a second Ctrl-C, and for handles left open after a run. */
  exit(code?: number): never;
  /** Makes the process-wide output redaction learn `values` too (Pact and targets that write to the process's streams). */
  addOutputSecret(...values: (string | undefined)[]): void;
}

/** Where one CLI invocation reads and writes (`runCli`'s second argument). */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** The environment the commands read (`NEXUS_API_KEY`, `CI`, …); secrets in it are redacted from all output. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * In-process callers' Ctrl-C: aborting it stops `run` gracefully (partial result, exit 105)
   * and stops a serving `mock`. Without it (and without {@link host}), `mock` serves until
   * the process ends.
   */
  readonly signal?: AbortSignal;
  /** The bin's process; leave it out in process, and nothing will exit or trap signals. */
  readonly host?: ProcessHost;
}
