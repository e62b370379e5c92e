#!/usr/bin/env node
// First: Pact must never load with its telemetry on (see the module).
import '../util/no-pact-telemetry.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { didYouMean, didYouMeanHint } from '../util/did-you-mean.js';
import { HarnessError, UsageError } from '../util/errors.js';
import { commands } from './commands/index.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { addOutputSecret, redactProcessOutput } from './redacted-output.js';

const SCRIPT_NAME = 'nexus-harness';

/**
 * The package version, read from the nearest `package.json` named `nexus-harness` above this
 * file. Walking up (instead of a fixed `../../package.json`) makes it work both from the
 * compiled `dist/harness/cli/main.js` and from `harness/cli/main.ts` run through tsx.
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === SCRIPT_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0-unknown';
    dir = parent;
  }
}

/** First word of each of a command's `command` strings and aliases: what a user may type. */
function namesOf(command: (typeof commands)[number]): string[] {
  const forms = [command.command ?? [], command.aliases ?? []].flat();
  return forms.map((form) => form.split(' ')[0] ?? '').filter((name) => name !== '' && name !== '$0');
}

/** The primary name of each command, for messages. */
function commandNames(): string[] {
  return commands.flatMap((c) => namesOf(c).slice(0, 1));
}

/**
 * Rejects an unknown first positional. yargs' `.strict()` only does so once at least one
 * command is registered; this keeps `nexus-harness typo` a usage error in every case.
 */
function checkKnownCommand(argv: { _: (string | number)[] }): true {
  const known = new Set(commands.flatMap(namesOf));
  const first = argv._[0];
  if (first !== undefined && !known.has(String(first))) {
    throw new Error(`Unknown command: ${first}.${didYouMeanHint(String(first), commandNames())}`);
  }
  return true;
}

/** The command the user typed (its first word), if it is one of ours. */
function commandIn(args: readonly string[]): string | undefined {
  const known = new Set(commands.flatMap(namesOf));
  const first = args.find((a) => !a.startsWith('-'));
  return first !== undefined && known.has(first) ? first : undefined;
}

/** The one line under a usage error that says where to look. */
function whereToLook(args: readonly string[]): string {
  const command = commandIn(args);
  return command === undefined
    ? allowedCommandsHint()
    : `Run '${SCRIPT_NAME} ${command} --help' for its arguments and flags.`;
}

/** The part of a yargs usage object the failure handler reads: the names of the flags it knows. */
interface UsageLike {
  getDescriptions?: () => Record<string, unknown>;
}

/**
 * Rewrites yargs' `Unknown argument(s): a, b` (its message is the only place it names them)
 * as one line per argument with "did you mean": an unknown flag gets the closest flag of the
 * command, an unknown first word the closest command, any other extra word is named as such.
 */
function suggest(msg: string, usage: UsageLike, args: readonly string[]): string {
  const match = /^Unknown arguments?: (.+)$/.exec(msg);
  if (match === null) return msg;
  const flags = typeof usage.getDescriptions === 'function' ? Object.keys(usage.getDescriptions()) : [];
  const dash = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
  const firstWord = args.find((a) => !a.startsWith('-'));
  const lines = match[1]!.split(', ').map((name) => {
    const typedAsFlag = args.some(
      (a) => a === dash(name) || a.startsWith(`${dash(name)}=`) || a === `--no-${name}`,
    );
    if (!typedAsFlag && name === firstWord) {
      return `Unknown command: ${name}.${didYouMeanHint(name, commandNames())}`;
    }
    if (!typedAsFlag) return `Unexpected argument "${name}".`;
    const near = didYouMean(name, flags);
    return `Unknown flag ${dash(name)}.${near === undefined ? '' : ` Did you mean ${dash(near)}?`}`;
  });
  return lines.join('\n');
}

function allowedCommandsHint(): string {
  const names = commandNames();
  const list = names.length > 0 ? `Commands: ${names.join(', ')}.` : 'No commands are available yet.';
  return `${list} Run '${SCRIPT_NAME} --help' (or '${SCRIPT_NAME} <command> --help') for what each accepts.`;
}

const EPILOGUE = [
  'Exit codes: 0 ok, 99 thresholds failed, 105 run interrupted, 2 bad usage or bad scenario/config, 1 unexpected error.',
  'Start with: nexus-harness mock --help. Documentation: README.md in the nexus-harness package.',
].join('\n');

/**
 * Builds the `nexus-harness` command line over `args` (already stripped of `node` and the
 * script path). Parsing is left to the caller so tests can drive it.
 *
 * @example
 * await buildCli(['--version']).parseAsync();
 */
export function buildCli(args: readonly string[]): Argv {
  const cli = yargs([...args])
    .scriptName(SCRIPT_NAME)
    .usage('$0 <command> [options]')
    .command(commands)
    .demandCommand(1, `Name a command. ${allowedCommandsHint()}`)
    .strict()
    .check(checkKnownCommand)
    .version(readVersion())
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, process.stdout.columns || 110))
    // yargs would exit 1 on a validation failure; ours is a usage error, which is 2.
    .fail((msg, err, y) => {
      // A handler's own error is not a usage problem: let it through. Validation failures come
      // with a message (yargs' own, or a `.check()`'s thrown error).
      if (err && !msg) throw err;
      const hint = whereToLook(args);
      // A check that loaded the scenario reports its problems as the handler would: as they are.
      if (HarnessError.is(err) && err.code !== 'NH_USAGE') throw err;
      // The error first, then one line on where to look; not the whole help.
      const text = suggest(msg, y as unknown as UsageLike, args);
      throw new UsageError(text.includes(hint) ? text : `${text}\n${hint}`, { cause: err });
    });
  return cli;
}

/**
 * Runs the CLI and sets `process.exitCode`; commands set their own exit code (0 or 99) and
 * throw for anything else.
 */
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

async function main(): Promise<void> {
  // Before anything can print: no known secret reaches the terminal or a CI log.
  redactProcessOutput(process.env);
  const args = hideBin(process.argv);
  addOutputSecret(...secretFlagValues(args));
  try {
    await buildCli(args).parseAsync();
  } catch (err) {
    const code = exitCodeFor(err);
    if (code === EXIT_CODES.USAGE) {
      // A flag problem ends with where to look (an async check's error can bypass `.fail`).
      const message = (err as HarnessError).message;
      const hint = whereToLook(args);
      const flagProblem = (err as HarnessError).code === 'NH_USAGE' && !message.includes(hint);
      process.stderr.write(`${message}${flagProblem ? `\n${hint}` : ''}\n`);
    } else
      process.stderr.write(`${SCRIPT_NAME}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = code;
  }
}

await main();
