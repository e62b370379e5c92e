import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { CompareArgs } from './compare-args.js';

/**
 * `nexus-harness compare BASELINE CURRENT [--max-regression EXPR]… [--format text|md|json]`:
 * two saved results side by side, regressions flagged only beyond the tolerance and the noise
 * measured within the runs; `--max-regression` makes it a gate (exit 99).
 */
export const compareCommand: CommandBody<CompareArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('baseline', { type: 'string', describe: 'The baseline: a result.json of an earlier run' })
      .positional('current', { type: 'string', describe: 'The run to judge against it: its result.json' })
      .option('format', {
        alias: 'f',
        type: 'string',
        default: 'text',
        describe:
          'text an aligned table, md a PR comment (also appended to $GITHUB_STEP_SUMMARY when set), json for scripts',
      })
      .option('max-regression', {
        type: 'string',
        array: true,
        describe:
          'A gate: METRIC[{tag:value}]:STAT=+N% (STAT p(50), p(90), p(99) or rate); a worse change beyond N% and the noise exits 99. Repeatable',
      })
      .option('tolerance', {
        type: 'number',
        default: 10,
        describe:
          'Change for the worse, %, above which a figure is flagged when it is also beyond the noise (report only)',
      })
      .option('min-change-ms', {
        type: 'number',
        default: 1,
        describe:
          'Smallest change for the worse of a latency (ms) that can be flagged or breach a gate: below it, timer jitter',
      })
      .example('$0 compare base/result.json cur/result.json', 'Side by side; regressions flagged, exit 0')
      .example(
        "$0 compare base.json cur.json --max-regression 'op_duration{op:send_message}:p(99)=+10%' -f md",
        'A CI gate with a PR comment',
      )
      .epilogue(
        'Exit codes: 0 compared (regressions are reported, not failed, without --max-regression); 99 a --max-regression gate breached; 2 a bad flag, expression or result file; 1 unexpected.',
      ) as unknown as Argv<CompareArgs>,
  async handler(argv) {
    const { compareHandler } = await import('./compare-handler.js');
    await compareHandler(argv, ctx);
  },
});
