import type { CommandModule } from 'yargs';
import type { CliIo, CliStream, ProcessHost } from './cli-io.js';

/**
 * What a command's handler gets besides its arguments: the invocation's streams (already
 * redacting every known secret), its environment, what may stop it, and where it leaves its
 * exit code. One per invocation (`runCli` makes it), so invocations in one process share
 * nothing.
 */
export interface CommandContext {
  /** Redacting stream over the caller's stdout: results, summaries, listings. */
  readonly stdout: CliStream;
  /** Redacting stream over the caller's stderr: progress, warnings, errors. */
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
  /** See {@link CliIo.signal}. */
  readonly signal?: AbortSignal;
  /** See {@link CliIo.host}: present for the bin only. */
  readonly host?: ProcessHost;
  /** Redacts `values` from all later output of this invocation (and of the process, for the bin). */
  addSecret(...values: (string | undefined)[]): void;
  /**
   * The exit code the invocation ends with if nothing throws: a handler sets it (99 for a
   * failed threshold, …); a thrown error becomes 1 or 2 instead. Default 0.
   */
  exitCode: number;
}

/** Whether a signal or an abort interrupted the invocation; see {@link onInterrupt}. */
export type Interrupt = NodeJS.Signals | 'abort';

/**
 * Calls `listener` on each interrupt of the invocation: the process's SIGINT/SIGTERM for the
 * bin (kept for the life of the process, as the bin owns it), the abort of
 * {@link CommandContext.signal} in process. Returns what removes the abort listener.
 *
 * @example
 * const stopListening = onInterrupt(ctx, (why) => stop.abort(new Error(`interrupted by ${why}`)));
 */
export function onInterrupt(ctx: CommandContext, listener: (interrupt: Interrupt) => void): () => void {
  ctx.host?.onSignal(listener);
  const signal = ctx.signal;
  if (signal === undefined) return () => {};
  const onAbort = () => listener('abort');
  if (signal.aborted) queueMicrotask(onAbort);
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * Resolves on the invocation's first interrupt (see {@link onInterrupt}); never, if nothing
 * can interrupt it (in process without a signal).
 *
 * @example
 * const why = await untilInterrupted(ctx); // 'SIGTERM', or 'abort' in process
 */
export function untilInterrupted(ctx: CommandContext): Promise<Interrupt> {
  const waits: Promise<Interrupt>[] = [];
  if (ctx.host !== undefined) waits.push(ctx.host.untilSignal());
  const signal = ctx.signal;
  if (signal !== undefined) {
    waits.push(
      signal.aborted
        ? Promise.resolve('abort')
        : new Promise((resolve) => signal.addEventListener('abort', () => resolve('abort'), { once: true })),
    );
  }
  return waits.length === 0 ? new Promise(() => {}) : Promise.race(waits);
}

/**
 * The part of a command that costs something to load: its builder (options, checks,
 * examples) and its handler, made for one invocation's {@link CommandContext}.
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs needs the list widened.
export type CommandBody<A = any> = (
  ctx: CommandContext,
) => Required<Pick<CommandModule<object, A>, 'builder' | 'handler'>>;
