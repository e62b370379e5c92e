import type { CommandModule } from 'yargs';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';

/** `nexus-harness list`: the built-in scenarios with their descriptions. */
export const listCommand: CommandModule = {
  command: 'list',
  describe: 'List the built-in scenarios',
  handler() {
    const names = Object.keys(BUILTIN_SCENARIOS);
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      process.stdout.write(`${name.padEnd(width)}  ${BUILTIN_SCENARIOS[name]!.description ?? ''}\n`);
    }
    process.stdout.write(
      '\nRun one: nexus-harness run <name> [--duration 10s]. Write your own: see README ("Writing a scenario"); check it with nexus-harness validate <file>.\n',
    );
  },
};
