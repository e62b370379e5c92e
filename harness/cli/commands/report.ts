import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { ReportArgs } from './report-args.js';

/** The formats as help lists them (kept in step with `REPORT_FORMATS`; report-command.test checks). */
const FORMATS_HELP = 'md | junit | json | k6 | html';

/**
 * `nexus-harness report RESULT.json… --format md|junit|json|k6|html [-o FILE]`: re-render a
 * saved run (a run's, a merged or an imported result); html overlays several. The renderers
 * load when it runs.
 */
export const reportCommand: CommandBody<ReportArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('result', {
        type: 'string',
        describe:
          'A result document: result.json of a run, a merged one, or one written by import k6 -o. Several for --format html: their charts overlaid (A, B, …), each with its tables',
      })
      .option('format', {
        alias: 'f',
        type: 'string',
        default: 'md',
        describe: `What to render (${FORMATS_HELP}): md a PR comment / step summary, junit JUnit XML for CI, json the result itself, k6 k6's --summary-export shape, html one self-contained page with charts and tables (no network; light and dark)`,
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
      .example(
        '$0 report result.json -f html -o report.html',
        'One HTML file to open or attach: charts and tables',
      )
      .example('$0 report base/result.json new/result.json -f html -o both.html', 'Two runs overlaid')
      .epilogue(
        "Exit codes: 0 rendered (whatever the run's verdict); 2 an unknown format, several results for a format other than html, or FILE is not a nexus-harness result (every problem named); 1 unexpected.",
      ) as unknown as Argv<ReportArgs>,
  async handler(argv) {
    const { reportHandler } = await import('./report-handler.js');
    await reportHandler(argv, ctx);
  },
});
