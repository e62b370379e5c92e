import { ERROR_CODES, HarnessError } from '../util/errors.js';

/**
 * The process exit codes of `nexus-harness`, as architecture.md fixes them. `THRESHOLDS_FAILED`
 * is k6's 99 so CI scripts written for k6 read our results the same way.
 *
 * @example
 * process.exitCode = thresholdsPassed ? EXIT_CODES.OK : EXIT_CODES.THRESHOLDS_FAILED;
 */
export const EXIT_CODES = {
  /** The command did its job (and every threshold passed). */
  OK: 0,
  /** Something nobody planned for: a bug, a crash, an I/O failure. */
  UNEXPECTED: 1,
  /** Bad flags or arguments, or an invalid scenario/config file. */
  USAGE: 2,
  /** The run completed but at least one threshold failed. */
  THRESHOLDS_FAILED: 99,
  /**
   * The run was stopped by a signal (Ctrl-C, SIGTERM) and wrote a partial result: k6's 105
   * ("external abort"). Not a pass, whatever the partial figures say.
   */
  INTERRUPTED: 105,
} as const;

/** One of the values of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * Error codes that mean "the user asked for something invalid" rather than "we broke". Kept
 * here, beside the exit codes, so the mapping lives in one place.
 */
// A damaged result file, or results that do not merge, are the user's input to fix, like a bad
// scenario: exit 2 with the message, not "unexpected" with a stack.
const USAGE_ERROR_CODES: ReadonlySet<string> = new Set([
  ERROR_CODES.usage,
  ERROR_CODES.configInvalid,
  ERROR_CODES.resultInvalid,
  ERROR_CODES.resultMerge,
]);

/**
 * The exit code a command should end with when it throws `err`: {@link EXIT_CODES.USAGE} for
 * a usage or config error, {@link EXIT_CODES.UNEXPECTED} for anything else.
 *
 * @example
 * try { await run(); } catch (err) { process.exitCode = exitCodeFor(err); }
 */
export function exitCodeFor(err: unknown): ExitCode {
  if (HarnessError.is(err) && USAGE_ERROR_CODES.has(err.code)) return EXIT_CODES.USAGE;
  return EXIT_CODES.UNEXPECTED;
}

/**
 * The exit code of a run's result: 0 passed, 99 a threshold failed (k6's code, also for an
 * `abortOnFail` stop), 105 interrupted by a signal (k6's "external abort"), whatever its
 * partial figures say.
 *
 * @example
 * process.exitCode = exitCodeOfResult(await runScenario(scenario, { target }));
 */
export function exitCodeOfResult(result: { verdict?: string; passed: boolean }): ExitCode {
  if (result.verdict === 'interrupted') return EXIT_CODES.INTERRUPTED;
  // Results older than `verdict` have only `passed`.
  return (result.verdict ?? (result.passed ? 'passed' : 'failed')) === 'passed'
    ? EXIT_CODES.OK
    : EXIT_CODES.THRESHOLDS_FAILED;
}
