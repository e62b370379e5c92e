import { didYouMean, didYouMeanHint } from '../util/did-you-mean.js';
import { COMMANDS, commandName } from './commands/index.js';

/** The name the CLI calls itself in help and messages. */
export const SCRIPT_NAME = 'nexus-harness';

/** The primary name of each command, for messages. */
function commandNames(): string[] {
  return COMMANDS.map(commandName);
}

/**
 * Rejects an unknown first positional. yargs' `.strict()` only does so once at least one
 * command is registered; this keeps `nexus-harness typo` a usage error in every case.
 *
 * @example
 * yargs(args).check(checkKnownCommand)
 */
export function checkKnownCommand(argv: { _: (string | number)[] }): true {
  const known = new Set(commandNames());
  const first = argv._[0];
  if (first !== undefined && !known.has(String(first))) {
    throw new Error(`Unknown command: ${first}.${didYouMeanHint(String(first), commandNames())}`);
  }
  return true;
}

/** The command the user typed (its first word), if it is one of ours. */
function commandIn(args: readonly string[]): string | undefined {
  const known = new Set(commandNames());
  const first = args.find((a) => !a.startsWith('-'));
  return first !== undefined && known.has(first) ? first : undefined;
}

/**
 * `Commands: run, list, … Run 'nexus-harness --help' …`: what to type instead.
 *
 * @example
 * yargs(args).demandCommand(1, `Name a command. ${allowedCommandsHint()}`)
 */
export function allowedCommandsHint(): string {
  const names = commandNames();
  const list = names.length > 0 ? `Commands: ${names.join(', ')}.` : 'No commands are available yet.';
  return `${list} Run '${SCRIPT_NAME} --help' (or '${SCRIPT_NAME} <command> --help') for what each accepts.`;
}

/**
 * The one line under a usage error that says where to look: the typed command's `--help`,
 * or the list of commands.
 *
 * @example
 * whereToLook(['run', 'smoke', '--vsu', '3']) // "Run 'nexus-harness run --help' for its arguments and flags."
 */
export function whereToLook(args: readonly string[]): string {
  const command = commandIn(args);
  return command === undefined
    ? allowedCommandsHint()
    : `Run '${SCRIPT_NAME} ${command} --help' for its arguments and flags.`;
}

/** The part of a yargs usage object the failure handler reads: the names of the flags it knows. */
export interface UsageLike {
  getDescriptions?: () => Record<string, unknown>;
}

/**
 * Rewrites yargs' `Unknown argument(s): a, b` (its message is the only place it names them)
 * as one line per argument with "did you mean": an unknown flag gets the closest flag of the
 * command, an unknown first word the closest command, any other extra word is named as such.
 *
 * @example
 * suggest('Unknown argument: vsu', usage, ['run', 'smoke', '--vsu', '3']) // 'Unknown flag --vsu. Did you mean --vus?'
 */
export function suggest(msg: string, usage: UsageLike, args: readonly string[]): string {
  const match = /^Unknown arguments?: (.+)$/.exec(msg);
  if (match === null) return msg;
  const flags = typeof usage.getDescriptions === 'function' ? Object.keys(usage.getDescriptions()) : [];
  const dash = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
  const firstWord = args.find((a) => !a.startsWith('-'));
  const typedAsFlag = (name: string) =>
    args.some((a) => a === dash(name) || a.startsWith(`${dash(name)}=`) || a === `--no-${name}`);
  // yargs names an unknown `--api-key` twice, also as its camelCase alias `apiKey`: one line
  // per flag, in the spelling typed.
  const byKey = new Map<string, string>();
  for (const name of match[1]!.split(', ')) {
    const key = name.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase());
    const seen = byKey.get(key);
    if (seen === undefined || (!typedAsFlag(seen) && typedAsFlag(name))) byKey.set(key, name);
  }
  const lines = [...byKey.values()].map((name) => {
    const typed = typedAsFlag(name);
    if (!typed && name === firstWord) {
      return `Unknown command: ${name}.${didYouMeanHint(name, commandNames())}`;
    }
    if (!typed) return `Unexpected argument "${name}".`;
    const near = didYouMean(name, flags);
    return `Unknown flag ${dash(name)}.${near === undefined ? '' : ` Did you mean ${dash(near)}?`}`;
  });
  return lines.join('\n');
}
