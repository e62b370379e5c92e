import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { ERROR_CODES, HarnessError, UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { secretsFromEnv } from '../util/redact.js';
import type { CliIo } from './cli-io.js';
import type { CommandContext } from './command-context.js';
import { COMMANDS, commandName } from './commands/index.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { secretRedaction } from './redacted-output.js';
import {
  allowedCommandsHint,
  checkKnownCommand,
  SCRIPT_NAME,
  suggest,
  type UsageLike,
  whereToLook,
} from './usage-hints.js';

/** The package version, from nexus-harness's own `package.json` (`packageRoot()`: sources and build alike). */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
  } catch {
    return '0.0.0-unknown';
  }
}

const EPILOGUE = [
  'Exit codes: 0 ok, 99 thresholds failed, 105 run interrupted, 2 bad usage or bad scenario/config, 1 unexpected error.',
  'Start with: nexus-harness mock --help. Documentation: README.md in the nexus-harness package.',
].join('\n');

/** Flags whose values are secrets: never echoed, whatever message they end up in. */
const SECRET_FLAGS = ['--api-key', '--admin-token'];

/** The values of {@link SECRET_FLAGS} in `args` (`--flag value` and `--flag=value`). */
function secretFlagValues(args: readonly string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    for (const flag of SECRET_FLAGS) {
      if (arg === flag && args[i + 1] !== undefined) values.push(args[i + 1]!);
      else if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
    }
  });
  return values.filter((v) => v !== 'nexus-mock-key'); // the public demo key may be shown
}

/**
 * The commands for one invocation: the typed ones in full (their modules loaded now), every
 * other one as its name and one line, enough for `--help` and for `strict()` to know it. A
 * word of `args` that names a command counts as typed wherever it stands: loading one
 * command too many is cheap, one too few would run a stub.
 */
async function commandsFor(args: readonly string[], ctx: CommandContext): Promise<CommandModule[]> {
  const words = new Set(args.filter((a) => !a.startsWith('-')));
  return Promise.all(
    COMMANDS.map(async (entry): Promise<CommandModule> => {
      const head = { command: entry.command, describe: entry.describe };
      if (!words.has(commandName(entry))) return { ...head, handler: () => {} };
      return { ...head, ...(await entry.load())(ctx) } as CommandModule;
    }),
  );
}

/**
 * Builds the `nexus-harness` command line over `args` (already stripped of `node` and the
 * script path) for one invocation's context. Parsing is left to the caller; {@link runCli}
 * is what runs it.
 *
 * @example
 * await (await buildCli(['--version'], ctx)).parseAsync();
 */
export async function buildCli(args: readonly string[], ctx: CommandContext): Promise<Argv> {
  const cli = yargs([...args])
    .scriptName(SCRIPT_NAME)
    .usage('$0 <command> [options]')
    .command(await commandsFor(args, ctx))
    .demandCommand(1, `Name a command. ${allowedCommandsHint()}`)
    .strict()
    .check(checkKnownCommand)
    .version(readVersion())
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, ctx.stdout.columns || 110))
    // English whatever LANG says: the hints and suggestions read yargs' English messages, and the
    // bundled bin has no yargs locale files beside it (the two entries would differ).
    .detectLocale(false)
    // Help and version end the invocation (exit 0), not the process: in process it is not ours.
    .exitProcess(false)
    // yargs would exit 1 on a validation failure; ours is a usage error, which is 2.
    .fail((msg, err, y) => {
      // A handler's own error is not a usage problem: let it through. Validation failures come
      // with a message (yargs' own, or a `.check()`'s thrown error).
      if (err && !msg) throw err;
      const hint = whereToLook(args);
      // A check that loaded the scenario reports its problems as the handler would: as they are.
      if (HarnessError.is(err) && err.code !== ERROR_CODES.usage) throw err;
      // The error first, then one line on where to look; not the whole help.
      const text = suggest(msg, y as unknown as UsageLike, args);
      throw new UsageError(text.includes(hint) ? text : `${text}\n${hint}`, { cause: err });
    });
  skipHelpCache(cli);
  return cli;
}

/**
 * yargs renders the whole help text each time a command's handler starts
 * (`cacheHelpMessage`), to print it should the handler fail later. Ours never prints it (the
 * `.fail()` above names the `--help` to read instead), and rendering it, string widths of
 * every line, is ~40 ms of CPU in every cold `run`. It is reached through yargs' internal
 * methods: a yargs that renames them just renders the help again, as before.
 */
function skipHelpCache(cli: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } };
  const usage = (cli as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/**
 * Runs `nexus-harness` with `args` (without `node` and the script) against `io`, and resolves
 * with the exit code: 0, 99 (a threshold failed), 105 (interrupted), 2 (bad usage or config),
 * 1 (anything else). Every write goes through the redaction of the secrets in `io.env` and
 * in the secret flags. Importing this module does nothing; each call is independent, so a
 * test can run many in one process. Only with `io.host` (the bin's) does a command trap
 * signals or exit the process.
 *
 * @example
 * const stdout = new PassThrough();
 * const code = await runCli(['validate', 'smoke'], { stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const flagSecrets = secretFlagValues(args);
  const redaction = secretRedaction([...secretsFromEnv(io.env), ...flagSecrets]);
  io.host?.addOutputSecret(...flagSecrets);
  const ctx: CommandContext = {
    stdout: redaction.stream(io.stdout),
    stderr: redaction.stream(io.stderr),
    env: io.env,
    signal: io.signal,
    host: io.host,
    addSecret(...values) {
      redaction.add(...values);
      io.host?.addOutputSecret(...values);
    },
    exitCode: EXIT_CODES.OK,
  };
  try {
    let shown = '';
    const cli = await buildCli(args, ctx);
    // With a callback, yargs hands over what it would print (help, version) instead of printing it.
    await cli.parseAsync([...args], {}, (_err, _argv, output) => {
      shown = output;
    });
    if (shown !== '') ctx.stdout.write(`${shown}\n`);
    return ctx.exitCode;
  } catch (err) {
    const code = exitCodeFor(err);
    if (code === EXIT_CODES.USAGE) {
      // A flag problem ends with where to look (an async check's error can bypass `.fail`).
      const message = (err as HarnessError).message;
      const hint = whereToLook(args);
      const flagProblem = (err as HarnessError).code === ERROR_CODES.usage && !message.includes(hint);
      ctx.stderr.write(`${message}${flagProblem ? `\n${hint}` : ''}\n`);
    } else ctx.stderr.write(`${SCRIPT_NAME}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    // Read by a run's deferred exit (the bin's), which fires after this.
    ctx.exitCode = code;
    return code;
  }
}
