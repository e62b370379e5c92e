import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';

interface ValidateArgs {
  scenario: string;
}

/** `nexus-harness validate <file>`: check a scenario (and its thresholds) without running it. */
export const validateCommand: CommandBody<ValidateArgs> = (ctx) => ({
  builder: (y: Argv) =>
    y.positional('scenario', {
      type: 'string',
      describe: 'A .json/.ts scenario file or a built-in name',
    }) as Argv<ValidateArgs>,
  async handler(argv) {
    // Scenario and threshold problems come together, under the file's name (resolveScenario).
    const { resolveScenario } = await import('../scenario-ref.js');
    const scenario = await resolveScenario(argv.scenario);
    const executors = Object.entries(scenario.executors)
      .map(([name, e]) => `${name} (${e.executor})`)
      .join(', ');
    ctx.stdout.write(`${argv.scenario}: valid scenario "${scenario.name}" — executors ${executors}\n`);
  },
});
