import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { ImportArgs } from './import-args.js';

/**
 * `nexus-harness import k6 FILE`: another tool's output into our result document, judged.
 * The importer loads when it runs (`import --help` loads only the flags).
 */
export const importCommand: CommandBody<ImportArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('tool', { choices: ['k6'] as const, describe: 'Whose output FILE is' })
      .positional('file', {
        type: 'string',
        describe:
          "k6's --out json points (NDJSON, plain or gzipped), its --summary-export, handleSummary data, or a k6 ≥ 1.5 machine-readable summary",
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe: 'Write the result document here (e.g. result.json); default: print the summary only',
      })
      .option('scenario', {
        type: 'string',
        describe:
          'The scenario the k6 script came from (built-in name or file): its thresholds are judged too, and stored',
      })
      .option('threshold', {
        type: 'string',
        array: true,
        describe:
          "Judge a threshold METRIC[{tag:value}]=EXPR too, e.g. 'op_duration{op:send_message}=p(95)<200' (repeatable): k6's NDJSON carries those of whole metrics, never a submetric's",
      })
      .example(
        '$0 import k6 points.ndjson.gz -o result.json',
        "k6's points into HDR histograms; thresholds re-judged",
      )
      .example(
        '$0 import k6 summary.json',
        "k6's --summary-export: exact counts, printed trend figures, k6's verdicts",
      )
      .example(
        "$0 import k6 points.ndjson --scenario steady --threshold 'http_req_duration{op:get_session}=p(99)<500'",
        "Judge the scenario's thresholds and one more",
      )
      .epilogue(
        'Exit codes: 0 every threshold passed; 99 a threshold failed; 2 bad flags or malformed input (the line or field is named); 1 unexpected.',
      ) as unknown as Argv<ImportArgs>,
  async handler(argv) {
    const { importHandler } = await import('./import-handler.js');
    await importHandler(argv, ctx);
  },
});
