import { readFileSync } from 'node:fs';
import { arch, availableParallelism, platform, release } from 'node:os';
import { join } from 'node:path';
import type { ResultMeta } from '../harness/engine/result/types.js';
import { packageRoot } from '../harness/util/package-root.js';
import { createRedactor, REDACTED } from '../harness/util/redact.js';
import { redactUrl } from '../harness/util/url.js';

/** Flags whose values are secrets whatever they look like: never in a command line we store. */
const SECRET_FLAGS: readonly string[] = ['--api-key', '--admin-token'];

/** What {@link collectMetadata} needs from the run; the machine's facts it reads itself. */
export interface MetadataInput {
  /** The words after the program name, e.g. `['run', 'smoke', '--seed', '3']`. */
  args: readonly string[];
  /** Values to redact wherever they appear (see `secretsFromEnv`). */
  secrets?: readonly string[];
  unsafeIgnoreRateLimits: boolean;
  /** The seed of the run; null when not known. */
  seed: number | null;
}

/** The package version from nexus-harness's own package.json; `0.0.0-unknown` when unreadable. */
function harnessVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
  } catch {
    return '0.0.0-unknown';
  }
}

/** `word` quoted for a POSIX shell when it needs it: `'p(99)<500'`, `it'\''s`. */
function shellQuote(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `args` as one command line, re-quoted, with secret flags' values, known secrets and URL
 * credentials replaced by `[redacted]`.
 *
 * @example
 * commandLineOf(['run', 'smoke', '--api-key', 'sk-live-1', '--threshold', 'op_duration=p(99)<500'])
 * // "nexus-harness run smoke --api-key '[redacted]' --threshold 'op_duration=p(99)<500'"
 */
export function commandLineOf(args: readonly string[], secrets: readonly string[] = []): string {
  const redactor = createRedactor(secrets);
  const words = args.map((arg, i) => {
    const flag = SECRET_FLAGS.find((f) => arg.startsWith(`${f}=`));
    if (flag !== undefined) return `${flag}=${REDACTED}`;
    if (i > 0 && SECRET_FLAGS.includes(args[i - 1]!)) return REDACTED;
    return redactor.redact(redactUrl(arg));
  });
  return ['nexus-harness', ...words].map(shellQuote).join(' ');
}

/**
 * The words of a command as yargs parsed it: the command and its positionals, then every flag
 * that is set (`false` and absent ones left out, yargs' camelCase copies and `_`/`$0` too).
 * What `run` stores as its command line: the same for the bin and for an in-process call.
 *
 * @example
 * argsOfParsed(['run', 'smoke'], { scenario: 'smoke', seed: 3, quiet: false, threshold: ['a=b'] }, ['scenario'])
 * // ['run', 'smoke', '--seed', '3', '--threshold', 'a=b']
 */
export function argsOfParsed(
  command: readonly string[],
  argv: Readonly<Record<string, unknown>>,
  positionals: readonly string[] = [],
): string[] {
  const words = [...command];
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || positionals.includes(key) || /[A-Z]/.test(key)) continue;
    if (value === undefined || value === false) continue;
    // A one-letter alias is a copy of its long flag.
    if (key.length === 1 && Object.keys(argv).some((k) => k.length > 1 && argv[k] === value)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === true) words.push(`--${key}`);
      else words.push(`--${key}`, String(v));
    }
  }
  return words;
}

/**
 * The run's metadata for the result document's `meta` field: harness version, Node, OS, CPU
 * count, the command line (secrets redacted), `--unsafe-ignore-rate-limits` and the seed.
 *
 * @example
 * const meta = collectMetadata({ args: process.argv.slice(2), secrets: secretsFromEnv(process.env),
 *   unsafeIgnoreRateLimits: false, seed: 1 });
 * const result = { ...(await runScenario(scenario, options)), meta };
 */
export function collectMetadata(input: MetadataInput): ResultMeta {
  return {
    harnessVersion: harnessVersion(),
    node: process.version,
    os: `${platform()} ${release()} (${arch()})`,
    cpus: availableParallelism(),
    commandLine: commandLineOf(input.args, input.secrets),
    unsafeIgnoreRateLimits: input.unsafeIgnoreRateLimits,
    seed: input.seed,
  };
}
