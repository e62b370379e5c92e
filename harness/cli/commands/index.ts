import type { CommandBody } from '../command-context.js';

/** One command as `--help` lists it, and how to load the rest of it. */
export interface CommandEntry {
  /** yargs' command string: the name, then its positionals (`run <scenario>`). */
  readonly command: string;
  /** The one line `--help` shows. */
  readonly describe: string;
  /**
   * Its builder and handler, loaded only when the command is typed: `nexus-harness list`
   * must not pay for the engine, Pact, MSW or ioredis that `run` and `contracts` need.
   */
  readonly load: () => Promise<CommandBody>;
}

/**
 * Every command of `nexus-harness`, in the order `--help` lists them. Each lives in its own
 * file beside this one and exports a {@link CommandBody}; add yours here (an explicit list,
 * not self-registration, so the set of commands is visible in one place, and a dynamic
 * import, so a command costs nothing until it is typed).
 *
 * @example
 * // { command: 'list', describe: 'List the built-in scenarios',
 * //   load: async () => (await import('./list.js')).listCommand },
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    command: 'run <scenario>',
    describe:
      'Run a scenario (built-in name or file) against the mock or a target; thresholds decide the exit code',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    command: 'blast <scenario>',
    describe:
      "Send a scenario's HTTP workload through autocannon; our histograms and thresholds decide the exit code",
    load: async () => (await import('./blast.js')).blastCommand,
  },
  {
    command: 'list',
    describe: 'List the built-in scenarios',
    load: async () => (await import('./list.js')).listCommand,
  },
  {
    command: 'validate <scenario>',
    describe:
      'Check a scenario file (or built-in) and its thresholds without running it; exit 2 with every problem',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    command: 'mock',
    describe: 'Serve the Nexus API mock (limits, assistant, faults, ledger, admin API) on loopback',
    load: async () => (await import('./mock.js')).mockCommand,
  },
  {
    command: 'contracts',
    describe: 'Pact contracts of the Nexus API: write the pact (test), verify a provider against it (verify)',
    load: async () => (await import('./contracts.js')).contractsCommand,
  },
  {
    command: 'secrets',
    describe:
      'Seal an API key for NEXUS_API_KEY_ENCRYPTED (encrypt, from stdin) and make its ENCRYPTION_KEY (keygen)',
    load: async () => (await import('./secrets.js')).secretsCommand,
  },
  {
    command: 'app',
    describe: 'Serve the chat app (POST /chat, /health, /metrics) on loopback in front of a Nexus API',
    load: async () => (await import('./app.js')).appCommand,
  },
  {
    command: 'k6',
    describe:
      'k6: export a scenario as a k6 script (export), run it with a real k6 and judge it (run), or write a k6-operator TestRun (operator)',
    load: async () => (await import('./k6.js')).k6Command,
  },
  {
    command: 'k8s',
    describe: "Kubernetes: write an Indexed Job that runs the harness's engine in N pods (job)",
    load: async () => (await import('./k8s.js')).k8sCommand,
  },
  {
    command: 'import <tool> <file>',
    describe:
      "Import another tool's output (k6: --out json points or a summary) into a result; thresholds decide the exit code",
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    command: 'report <result..>',
    describe:
      'Re-render a saved result (a run, merged or imported): Markdown, JUnit XML, JSON, k6 summary export or HTML',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    command: 'merge <results..>',
    describe:
      'Merge the results of one run split over processes (segments, workers): exact HDR add, sums, the audits combined; judged again',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  {
    command: 'compare <baseline> <current>',
    describe:
      'Compare two saved results per metric and operation; regressions beyond the noise flagged, --max-regression gates (exit 99)',
    load: async () => (await import('./compare.js')).compareCommand,
  },
];

/** The name a user types for `entry` (the first word of its command string). */
export function commandName(entry: CommandEntry): string {
  return entry.command.split(' ')[0]!;
}
