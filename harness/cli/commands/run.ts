import type { Argv } from 'yargs';
import { parseReportFormats } from '../../../reports/formats.js';
import { LIMITS } from '../../../scenarios/model/limits.js';
import { TARGET_KINDS } from '../../../scenarios/model/target.js';
import { UsageError } from '../../util/errors.js';
import type { CommandBody, CommandContext } from '../command-context.js';
import { DASHBOARD_FLAG_HELP, parseDashboardFlag } from './dashboard-flag.js';
import { DURATION_FLAG_HINT, fmt, type RunArgs } from './run-args.js';
import { checkSplitFlags, SPLIT_EXAMPLES, SPLIT_OPTIONS } from './run-split-args.js';

function builder(y: Argv, ctx: CommandContext): Argv<RunArgs> {
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
    .option('app-url', {
      type: 'string',
      describe:
        'For --target app only: a chat app already running, e.g. http://127.0.0.1:3000 (default: the harness starts the mock and the app; no audit with this)',
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
        "Add a threshold METRIC[{tag:value}]=EXPR, e.g. 'op_duration{op:send_message}=p(99)<500' (repeatable); the scenario's own thresholds on that metric still apply",
    })
    .option('unsafe-ignore-rate-limits', {
      type: 'boolean',
      default: false,
      describe:
        'Break the client on purpose: hide Retry-After/X-RateLimit-*, retry 429s at once (the auditor should fail the run)',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress line' })
    .options(SPLIT_OPTIONS)
    .option('report', {
      type: 'string',
      array: true,
      describe:
        'Also write reports beside result.json: md (summary.md; appended to $GITHUB_STEP_SUMMARY when set), junit (junit.xml), k6 (k6-summary.json), html (report.html: charts and tables, one self-contained file), json; comma-separated or repeated',
      coerce: (value: string[] | undefined) => (value === undefined ? undefined : parseReportFormats(value)),
    })
    .option('dashboard', {
      type: 'string',
      describe: DASHBOARD_FLAG_HELP,
      coerce: (value: unknown) => (value === undefined ? undefined : parseDashboardFlag(value)),
    })
    .check((argv) => {
      if (argv.report !== undefined && (argv.out as unknown) === false)
        throw new UsageError('--report writes beside result.json: drop --no-out, or give --out DIR.');
      if (argv.dashboard !== undefined && (argv.out as unknown) === false)
        throw new UsageError(
          '--dashboard leaves report.html beside result.json: drop --no-out, or give --out DIR.',
        );
      if (argv.dashboard !== undefined && argv.workers !== undefined)
        throw new UsageError(
          "--dashboard shows one process's run, not the merge of --workers: leave one out (report --format html renders a merged result).",
        );
      return true;
    })
    .check(async (argv) => {
      // Loaded here, not above: `run --help` needs none of it.
      const { checkAgainstScenario, checkFlags } = await import('./run-checks.js');
      checkFlags(argv as unknown as RunArgs);
      checkSplitFlags(argv as unknown as RunArgs, ctx.env, argv['allow-remote'] === true);
      await checkAgainstScenario(argv as unknown as RunArgs, ctx);
      return true;
    })
    .example('$0 run smoke', 'Two VUs for 10 s against the local mock')
    .example('$0 run rate-limit-storm', "The guide's 70 concurrent sends against a small limit; audited")
    .example('$0 run steady --rate 200 --duration 10s', 'Shorter and harder')
    .example("$0 run chaos --threshold 'op_duration=p(99)<800'", 'Add a threshold; exit 99 if it fails')
    .example('$0 run smoke --report md,junit', 'Also write summary.md and junit.xml beside result.json')
    .example('$0 run steady --dashboard', 'Watch it live in a browser (URL printed); report.html stays')
    .example('$0 run chat-app', 'Users chatting through the chat app in front of the mock; audited')
    .example(
      '$0 run ./my-scenario.ts --target url --url http://127.0.0.1:4010/api/public',
      'Your scenario, any loopback URL',
    )
    .example(SPLIT_EXAMPLES)
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

/**
 * `nexus-harness run <scenario>`: run a scenario, audit it, judge it. The engine, the targets
 * and the checks load when it runs (`run --help` loads only the flags' definitions).
 */
export const runCommand: CommandBody<RunArgs> = (ctx) => ({
  builder: (y: Argv) => builder(y, ctx),
  async handler(argv) {
    const { runHandler } = await import('./run-handler.js');
    await runHandler(argv, ctx);
  },
});
