import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { LIMITS } from '../../../scenarios/model/limits.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { TARGET_KINDS, type TargetKind } from '../../../scenarios/model/target.js';
import { newRunId } from '../../engine/run/run-id.js';
import { runScenario } from '../../engine/run/run-scenario.js';
import { parseThresholds } from '../../engine/thresholds/index.js';
import { targetFor } from '../../targets/index.js';
import { formatDurationMs, parseDurationArg } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { checkOutDir, lockOutDir } from '../../util/out-dir.js';
import { secretsFromEnv } from '../../util/redact.js';
import { redactUrl } from '../../util/url.js';
import { ConfigError } from '../../util/validation.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { createProgressPrinter } from '../progress-line.js';
import { writeResultFile } from '../result-file.js';
import { formatRunSummary } from '../run-summary.js';
import { resolveScenario } from '../scenario-ref.js';

interface RunArgs {
  scenario: string;
  target?: TargetKind;
  url?: string;
  'allow-remote': boolean;
  'pact-file'?: string;
  vus?: number;
  rate?: number;
  duration?: string;
  seed?: number;
  out?: string | false;
  threshold?: string[];
  'unsafe-ignore-rate-limits': boolean;
  quiet: boolean;
}

/**
 * Parses `--threshold KEY=EXPR` (split at the first `=`, so `count==0` survives). The result
 * has no prototype, so a key such as `toString` or `constructor` is a key like any other (and
 * then refused as an unknown metric), never a property every object has.
 */
function parseThresholdFlags(flags: readonly string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) {
      throw new UsageError(
        `Invalid --threshold "${flag}": expected METRIC[{tag:value}]=EXPRESSION, e.g. 'op_duration{op:send_message}=p(99)<500'.`,
      );
    }
    const key = flag.slice(0, at).trim();
    out[key] = [...(Object.hasOwn(out, key) ? out[key]! : []), flag.slice(at + 1).trim()];
  }
  return out;
}

/** Flags that take one value: given twice, yargs makes a list, and which one wins would be a guess. */
const SINGLE_VALUED = ['target', 'url', 'pact-file', 'vus', 'rate', 'duration', 'seed', 'out'] as const;

const fmt = (n: number) => n.toLocaleString('en-US');
const DURATION_FLAG_HINT = `a duration such as 30s, 1m30s, 500ms or 2h, or a bare number of ms (1500); at most ${formatDurationMs(LIMITS.durationMs)}`;

/** `--vus`/`--rate`: a positive number (an integer for VUs) up to the limit of one process. */
function checkSize(name: string, value: number | undefined, limit: number, integer: boolean): void {
  if (value === undefined) return;
  if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got ${value}).`);
  }
  if (value > limit) {
    throw new UsageError(`--${name} ${value} is above the limit of ${fmt(limit)} for one process.`);
  }
}

/** Checks of the flags alone, before anything is loaded: every malformed value is exit 2, naming its flag. */
function checkFlags(argv: RunArgs): void {
  for (const name of SINGLE_VALUED) {
    const value = (argv as unknown as Record<string, unknown>)[name];
    if (Array.isArray(value)) {
      // URLs without their user:password part: a message ends up in CI logs.
      const shown = value.map((v) => (typeof v === 'string' ? redactUrl(v) : String(v)));
      throw new UsageError(`--${name} was given ${value.length} times (${shown.join(', ')}); give it once.`);
    }
  }
  checkSize('vus', argv.vus, LIMITS.vus, true);
  checkSize('rate', argv.rate, LIMITS.ratePerSecond, false);
  if (argv.duration !== undefined) {
    const ms = parseDurationArg(argv.duration);
    if (ms === undefined || !(ms > 0)) {
      throw new UsageError(
        `--duration "${argv.duration}" is not a duration: expected ${DURATION_FLAG_HINT}.`,
      );
    }
    if (ms > LIMITS.durationMs) {
      throw new UsageError(
        `--duration ${argv.duration} is above the limit of ${formatDurationMs(LIMITS.durationMs)} for one run.`,
      );
    }
  }
  if (argv.seed !== undefined && !Number.isSafeInteger(argv.seed)) {
    throw new UsageError(`--seed must be an integer (got ${argv.seed}).`);
  }
  if (argv.url !== undefined) {
    const ok = /^https?:\/\/[^/\s]+/.test(argv.url) && URL.canParse(argv.url);
    if (!ok) {
      throw new UsageError(
        `--url "${redactUrl(argv.url)}" is not an http(s) URL; give one such as http://127.0.0.1:4010/api/public.`,
      );
    }
  }
  if (argv.threshold !== undefined) {
    try {
      parseThresholds(parseThresholdFlags(argv.threshold));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const lines = err.problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
      throw new UsageError(`Invalid --threshold: ${err.problems.length} problem(s).\n${lines}`, {
        cause: err,
      });
    }
  }
  if (typeof argv.out === 'string') checkOutDir(argv.out, '--out');
}

/**
 * Flags the scenario would ignore. An ignored `--url` or `--pact-file` is an error: the user
 * believes the load goes somewhere it does not, and the result would say otherwise only in
 * small print. `--rate` with no arrival-rate executor is an error too: the run would not be
 * the load that was asked for. `--vus` always changes something, but on arrival-rate
 * executors only their pre-allocated VUs, not the load: that is a warning.
 *
 * @example
 * const { errors, warnings } = ignoredFlags(argv, scenario);
 */
function ignoredFlags(argv: RunArgs, scenario: Scenario): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const target = argv.target ?? scenario.target;
  const from =
    argv.target === undefined ? `scenario ${scenario.name}'s target is ${target}` : `--target ${target}`;
  if (argv.url !== undefined && target !== 'url' && target !== 'pact') {
    errors.push(
      `--url is only used with --target url or pact, and ${from}: add --target url, or drop --url.`,
    );
  }
  if (target === 'url' && argv.url === undefined && scenario.url === undefined) {
    errors.push(
      `--target url needs --url (scenario ${scenario.name} has no url), e.g. --url http://127.0.0.1:4010/api/public.`,
    );
  }
  if (argv['pact-file'] !== undefined && target !== 'pact') {
    errors.push(
      `--pact-file is only used with --target pact, and ${from}: add --target pact, or drop --pact-file.`,
    );
  }
  const executors = Object.entries(scenario.executors);
  const arrival = executors.filter(([, e]) => e.executor.endsWith('arrival-rate')).map(([name]) => name);
  const list = executors.map(([name, e]) => `${name} (${e.executor})`).join(', ');
  if (argv.rate !== undefined && arrival.length === 0) {
    errors.push(
      `--rate has no effect on scenario ${scenario.name}: it has no arrival-rate executor (${list}); use --vus to change its load.`,
    );
  }
  if (argv.vus !== undefined && arrival.length === executors.length) {
    warnings.push(
      `--vus ${argv.vus} only sets the pre-allocated VUs of ${arrival.join(', ')}; an arrival-rate executor's load is its rate (--rate).`,
    );
  }
  return { errors, warnings };
}

/** Checks that need the scenario; resolving it reports its own problems (exit 2) first. */
async function checkAgainstScenario(argv: RunArgs): Promise<void> {
  const given = [argv.target, argv.url, argv['pact-file'], argv.rate, argv.vus];
  if (given.every((flag) => flag === undefined)) return;
  const { errors, warnings } = ignoredFlags(argv, await resolveScenario(argv.scenario));
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  if (errors.length > 0) throw new UsageError(errors.join('\n'));
}

function builder(y: Argv): Argv<RunArgs> {
  return y
    .positional('scenario', {
      type: 'string',
      describe: 'A built-in scenario (see list) or a .json/.ts scenario file',
    })
    .option('target', {
      choices: TARGET_KINDS,
      describe: "Where the load goes (default: the scenario's, usually mock)",
    })
    .option('url', {
      type: 'string',
      describe:
        'Base URL for --target url|pact, e.g. http://127.0.0.1:4010/api/public (refused with any other target)',
    })
    .option('allow-remote', {
      type: 'boolean',
      default: false,
      describe: 'Allow load to a non-loopback host or the real API (off: such targets are refused)',
    })
    .option('pact-file', {
      type: 'string',
      describe:
        'For --target pact only: the pact to serve (default $NEXUS_PACT_FILE, then contracts/pacts/…)',
    })
    .option('vus', {
      type: 'number',
      describe: `VUs of every executor (pre-allocated VUs of arrival-rate ones); an integer, 1 to ${fmt(LIMITS.vus)}`,
    })
    .option('rate', {
      type: 'number',
      describe: `Iterations/s of arrival-rate executors (ramps scaled to peak here); > 0, at most ${fmt(LIMITS.ratePerSecond)}; refused if the scenario has none`,
    })
    .option('duration', {
      type: 'string',
      describe: `Run length; every executor's timeline is scaled to fit (${DURATION_FLAG_HINT})`,
    })
    .option('seed', { type: 'number', describe: 'Seed of the op mix and of the mock (an integer)' })
    .option('out', {
      type: 'string',
      describe:
        'Folder for result.json (default reports/out/<run-id>); --no-out for none. Checked before the run: a writable folder (not a file, not under /proc, /sys, /dev), not in use by another live run',
    })
    .option('threshold', {
      type: 'string',
      array: true,
      describe:
        "Add a threshold METRIC[{tag:value}]=EXPR, e.g. 'op_duration{op:send_message}=p(99)<500' (repeatable)",
    })
    .option('unsafe-ignore-rate-limits', {
      type: 'boolean',
      default: false,
      describe:
        'Break the client on purpose: hide Retry-After/X-RateLimit-*, retry 429s at once (the auditor should fail the run)',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress line' })
    .check(async (argv) => {
      checkFlags(argv as unknown as RunArgs);
      await checkAgainstScenario(argv as unknown as RunArgs);
      return true;
    })
    .example('$0 run smoke', 'Two VUs for 10 s against the local mock')
    .example('$0 run rate-limit-storm', "The guide's 70 concurrent sends against a small limit; audited")
    .example('$0 run steady --rate 200 --duration 10s', 'Shorter and harder')
    .example("$0 run chaos --threshold 'op_duration=p(99)<800'", 'Add a threshold; exit 99 if it fails')
    .example(
      '$0 run ./my-scenario.ts --target url --url http://127.0.0.1:4010/api/public',
      'Your scenario, any loopback URL',
    )
    .epilogue(
      [
        'Exit codes: 0 every threshold passed; 99 a threshold failed (incl. the audit: duplicates, lost,',
        'retry_after_violations; completion: every demanded iteration done; no data counts as failed);',
        '105 interrupted by a signal (partial result, never a pass); 2 bad scenario or flags; 1 unexpected.',
        'A run ends by duration + gracefulStop whatever waits in the client. Ctrl-C or SIGTERM stops it',
        'within about 2 s and still writes the partial result; a second signal exits at once (130).',
      ].join('\n'),
    ) as unknown as Argv<RunArgs>;
}

async function handler(argv: RunArgs): Promise<void> {
  // Signals are ours from the start to the exit: before the run they stop it before it starts,
  // during it they stop it gracefully, and after the summary they leave the exit code as it is
  // (a SIGTERM then must not turn a written "failed" into 143).
  const stop = new AbortController();
  let finished = false;
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (finished) process.exit();
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      `\n${signal}: stopping gracefully and writing the partial result (again to quit at once)...\n`,
    );
    stop.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const scenario = await resolveScenario(argv.scenario);
  const thresholds = parseThresholdFlags(argv.threshold);
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  const progress = createProgressPrinter(process.stderr, { tty });
  const runId = newRunId();
  // Checked and claimed before the target opens: a bad folder fails fast, a shared one is refused.
  const out =
    argv.out === false ? null : await lockOutDir(argv.out ?? join('reports', 'out', runId), '--out');
  try {
    const result = await runScenario(scenario, {
      target: targetFor(argv.target ?? scenario.target, {
        url: argv.url ?? scenario.url,
        allowRemote: argv['allow-remote'],
        pactFile: argv['pact-file'],
      }),
      runId,
      vus: argv.vus,
      rate: argv.rate,
      durationMs: argv.duration === undefined ? undefined : parseDurationArg(argv.duration),
      seed: argv.seed,
      thresholds,
      unsafeIgnoreRateLimits: argv['unsafe-ignore-rate-limits'],
      signal: stop.signal,
      onProgress: argv.quiet ? undefined : progress.update,
      onNotice: progress.notice,
    });
    progress.done();
    const resultPath =
      out === null ? null : await writeResultFile(result, out.dir, secretsFromEnv(process.env));
    process.stdout.write(formatRunSummary(result, resultPath));
    process.exitCode = exitCodeOfResult(result);
  } finally {
    progress.done();
    await out?.release();
    finished = true;
    // The result is written and the summary printed: a socket or timer some target left
    // behind must not keep the process (and a CI job) waiting. Unref'd: a clean exit wins.
    setTimeout(() => process.exit(), 1_000).unref();
  }
}

/** `nexus-harness run <scenario>`: run a scenario, audit it, judge it. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe:
    'Run a scenario (built-in name or file) against the mock or a target; thresholds decide the exit code',
  builder,
  handler,
};
