import type { Argv, CommandModule } from 'yargs';
import { TARGET_KINDS, type TargetKind } from '../../../scenarios/model/target.js';
import { DURATION_HINT, parseDurationMs } from '../../engine/executors/duration.js';
import { runScenario } from '../../engine/run/run-scenario.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { createProgressPrinter } from '../progress-line.js';
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

/** Parses `--threshold KEY=EXPR` (split at the first `=`, so `count==0` survives). */
function parseThresholdFlags(flags: readonly string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) {
      throw new UsageError(
        `Invalid --threshold "${flag}": expected METRIC[{tag:value}]=EXPRESSION, e.g. 'op_duration{op:send_message}=p(99)<500'.`,
      );
    }
    const key = flag.slice(0, at).trim();
    out[key] = [...(out[key] ?? []), flag.slice(at + 1).trim()];
  }
  return out;
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new UsageError(`--${name} must be a positive number (got ${value}).`);
  }
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
      describe: 'Base URL for --target url|pact, e.g. http://127.0.0.1:4010/api/public',
    })
    .option('allow-remote', {
      type: 'boolean',
      default: false,
      describe: 'Allow load to a non-loopback host or the real API (off: such targets are refused)',
    })
    .option('pact-file', {
      type: 'string',
      describe: 'For --target pact: the pact to serve (default $NEXUS_PACT_FILE, then contracts/pacts/…)',
    })
    .option('vus', {
      type: 'number',
      describe: 'VUs of every executor (pre-allocated VUs of arrival-rate ones)',
    })
    .option('rate', {
      type: 'number',
      describe: 'Iterations/s of arrival-rate executors (ramps scaled to peak here)',
    })
    .option('duration', {
      type: 'string',
      describe: `Run length; every executor's timeline is scaled to fit (${DURATION_HINT})`,
    })
    .option('seed', { type: 'number', describe: 'Seed of the op mix and of the mock' })
    .option('out', {
      type: 'string',
      describe: 'Folder for result.json (default reports/out/<run-id>); --no-out for none',
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
    .check((argv) => {
      positive('vus', argv.vus);
      positive('rate', argv.rate);
      if (argv.duration !== undefined && !(parseDurationMs(argv.duration)! > 0)) {
        throw new UsageError(`--duration "${argv.duration}" is not a duration: ${DURATION_HINT}.`);
      }
      if (argv.vus !== undefined && !Number.isInteger(argv.vus))
        throw new UsageError(`--vus must be an integer (got ${argv.vus}).`);
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
        'retry_after_violations); 2 bad scenario or flags; 1 unexpected. Ctrl-C stops gracefully and still',
        'writes the partial result; a second Ctrl-C exits at once.',
      ].join('\n'),
    ) as unknown as Argv<RunArgs>;
}

async function handler(argv: RunArgs): Promise<void> {
  const scenario = await resolveScenario(argv.scenario);
  const thresholds = parseThresholdFlags(argv.threshold);
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      `\n${signal}: stopping gracefully and writing the partial result (again to quit at once)...\n`,
    );
    stop.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  const progress = createProgressPrinter(process.stderr, { tty });
  try {
    const outcome = await runScenario(scenario, {
      target: argv.target,
      url: argv.url,
      allowRemote: argv['allow-remote'],
      pactFile: argv['pact-file'],
      vus: argv.vus,
      rate: argv.rate,
      durationMs: argv.duration === undefined ? undefined : parseDurationMs(argv.duration),
      seed: argv.seed,
      outDir: argv.out,
      thresholds,
      unsafeIgnoreRateLimits: argv['unsafe-ignore-rate-limits'],
      signal: stop.signal,
      onProgress: argv.quiet ? undefined : progress.update,
    });
    progress.done();
    process.stdout.write(formatRunSummary(outcome.result, outcome.resultPath));
    process.exitCode = outcome.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.THRESHOLDS_FAILED;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
