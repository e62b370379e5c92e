import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { MergeArgs } from './merge-handler.js';

/**
 * `nexus-harness merge A.json B.json … [-o merged.json]`: the results of one run split over
 * processes or machines (`run --segment`, `--segments`, the workers of `run --workers`) made
 * one, exactly, and judged again. The merge loads when it runs.
 */
export const mergeCommand: CommandBody<MergeArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .positional('results', {
        type: 'string',
        array: true,
        describe:
          'The result.json of every part of the run (each segment once): a shell glob such as /results/*/result.json',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe:
          'Write the merged result to FILE (atomically, secrets redacted); absent: only the summary is printed',
      })
      .example(
        '$0 merge /results/*/result.json -o merged.json',
        'The pods of an Indexed Job (run --segments N), made one run',
      )
      .example('$0 merge seg0/result.json seg1/result.json', 'Two segments: the merged summary and verdict')
      .example('$0 report merged.json -f md', 'Render the merged result like any other')
      .epilogue(
        [
          'The merge is exact: HDR histograms added bucket by bucket (same percentiles as one process recording',
          'everything), counters and rates summed, the per-second series lined up by wall clock, the audits',
          'combined (duplicates, lost, Retry-After violations, requests and 429s summed; ratios from the sums),',
          "demanded against done summed per executor; then the scenario's thresholds judge the merged figures.",
          'Refused: a file that is not a result, runs of different scenarios, a segment twice or one missing',
          '(the merged result would demand less than the scenario does).',
          '',
          'Exit codes: 0 every threshold passed over the merged result; 99 one failed; 105 a part was interrupted',
          '(partial, never a pass); 2 a missing or bad file, or results that are not the parts of one run; 1 unexpected.',
        ].join('\n'),
      ) as unknown as Argv<MergeArgs>,
  async handler(argv) {
    const { mergeHandler } = await import('./merge-handler.js');
    await mergeHandler(argv, ctx);
  },
});
