import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { ReportArgs } from './report-args.js';

/** The formats as help lists them (kept in step with `REPORT_FORMATS`; report-command.test checks). */
const FORMATS_HELP = 'md | junit | json | k6';

/**
 * `nexus-harness report RESULT.json --format md|junit|json|k6 [-o FILE]`: re-render a saved
 * run (a run's, a merged or an imported result). The renderers load when it runs.
 */
export const reportCommand: CommandBody<ReportArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('result', {
        type: 'string',
        describe: 'A result document: result.json of a run, a merged one, or one written by import k6 -o',
      })
      .option('format', {
        alias: 'f',
        type: 'string',
        default: 'md',
        describe: `What to render (${FORMATS_HELP}): md a PR comment / step summary, junit JUnit XML for CI, json the result itself, k6 k6's --summary-export shape`,
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe:
          'Write to FILE (atomically); - or absent: stdout. md is also appended to $GITHUB_STEP_SUMMARY when set',
      })
      .example('$0 report reports/out/<run-id>/result.json', 'The Markdown summary on stdout')
      .example('$0 report result.json --format junit -o junit.xml', 'JUnit XML for the CI test report')
      .example('$0 report result.json -f k6 -o summary.json', "For scripts that read k6's --summary-export")
      .example('$0 report result.json -f md -o pr.md', 'In GitHub Actions: also appended to the step summary')
      .epilogue(
        "Exit codes: 0 rendered (whatever the run's verdict); 2 an unknown format, or FILE is not a nexus-harness result (every problem named); 1 unexpected.",
      ) as unknown as Argv<ReportArgs>,
  async handler(argv) {
    const { reportHandler } = await import('./report-handler.js');
    await reportHandler(argv, ctx);
  },
});
