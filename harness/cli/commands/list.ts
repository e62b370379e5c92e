import type { CommandBody } from '../command-context.js';

/** `nexus-harness list`: the built-in scenarios with their descriptions. */
export const listCommand: CommandBody = (ctx) => ({
  builder: (y) => y,
  async handler() {
    const { BUILTIN_SCENARIOS } = await import('../../../scenarios/builtin/index.js');
    const names = Object.keys(BUILTIN_SCENARIOS);
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      ctx.stdout.write(`${name.padEnd(width)}  ${BUILTIN_SCENARIOS[name]!.description ?? ''}\n`);
    }
    ctx.stdout.write(
      '\nRun one: nexus-harness run <name> [--duration 10s]. Write your own: see README ("Writing a scenario"); check it with nexus-harness validate <file>.\n',
    );
  },
});
