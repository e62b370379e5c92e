import type { Argv, CommandModule } from 'yargs';
import { resolveScenario } from '../scenario-ref.js';

interface ValidateArgs {
  scenario: string;
}

/** `nexus-harness validate <file>`: check a scenario (and its thresholds) without running it. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe:
    'Check a scenario file (or built-in) and its thresholds without running it; exit 2 with every problem',
  builder: (y: Argv) =>
    y.positional('scenario', {
      type: 'string',
      describe: 'A .json/.ts scenario file or a built-in name',
    }) as Argv<ValidateArgs>,
  async handler(argv) {
    // Scenario and threshold problems come together, under the file's name (resolveScenario).
    const scenario = await resolveScenario(argv.scenario);
    const executors = Object.entries(scenario.executors)
      .map(([name, e]) => `${name} (${e.executor})`)
      .join(', ');
    process.stdout.write(`${argv.scenario}: valid scenario "${scenario.name}" — executors ${executors}\n`);
  },
};
