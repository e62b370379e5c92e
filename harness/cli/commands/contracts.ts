import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_PACT_DIR } from '../../../contracts/nexus-api.js';
import type { StatesMode } from '../../../contracts/provider/verify-provider.js';
import type { CommandBody, CommandContext } from '../command-context.js';
import type { TestArgs, VerifyArgs } from './contracts-handlers.js';

const pactDirOption = {
  type: 'string',
  default: DEFAULT_PACT_DIR,
  describe: 'Folder to write the pact file in (relative to the working directory)',
} as const;

function testCommand(ctx: CommandContext): CommandModule<object, TestArgs> {
  return {
    command: 'test',
    describe: 'Consumer side: drive the client through Pact and write the pact file (from a clean start)',
    builder: (y: Argv) =>
      y
        .option('pact-dir', pactDirOption)
        .example('$0 contracts test', 'Rewrite contracts/pacts/nexus-harness-client-nexus-api.json')
        .example('$0 contracts test --pact-dir /tmp/pacts', 'Write the pact elsewhere')
        .epilogue(
          [
            'Each interaction of the contract (nexus-api.md: create, get, send, list, 401, 429) is declared with',
            "Pact matchers and exercised by the real client against Pact's mock server; when the client does",
            "what the case expects, the interaction is merged into the pact file. This consumer's old pact files",
            'in the folder are removed first. The pact records a placeholder API key, never a real one.',
            'Exit codes: 0 every case passed; 1 a case failed (the pact then lacks it); 2 bad usage.',
          ].join('\n'),
        ) as unknown as Argv<TestArgs>,
    async handler(argv) {
      const { contractsTestHandler } = await import('./contracts-handlers.js');
      await contractsTestHandler(argv, ctx);
    },
  };
}

function verifyCommand(ctx: CommandContext): CommandModule<object, VerifyArgs> {
  return {
    command: 'verify',
    describe: 'Provider side: replay the pact against a provider URL and report each interaction',
    builder: (y: Argv) =>
      y
        .option('provider-url', {
          type: 'string',
          demandOption: true,
          describe: "The provider's base URL, e.g. http://127.0.0.1:4010/api/public (its origin works too)",
        })
        .option('pact-dir', {
          type: 'string',
          describe:
            'Folder of the pact files to verify. Default: the pact nexus-harness ships (contracts/pacts in the package)',
        })
        .option('states', {
          choices: ['auto', 'admin', 'none'] as const,
          default: 'auto' as StatesMode,
          describe:
            'Provider states: admin = through the admin API of a loopback nexus-harness mock; none = not set; ' +
            'auto = admin when the provider is one',
        })
        .example('$0 mock --port 4010 &', 'Start the mock in the background, then:')
        .example(
          '$0 contracts verify --provider-url http://127.0.0.1:4010/api/public',
          'Verify the mock against contracts/pacts (states through its admin API)',
        )
        .example(
          'NEXUS_API_KEY=... $0 contracts verify --provider-url https://staging.example/api/public',
          'Verify another provider (states cannot be set there)',
        )
        .epilogue(
          [
            "API key: a nexus-harness mock's own key is used; any other provider needs NEXUS_API_KEY. The key",
            "replaces the pact's placeholder on the way to the provider and is never printed.",
            'Provider states (a thread with a known id, an EXPIRED or CLOSED thread, a rate-limited key) can only be',
            'set on a loopback nexus-harness mock (its admin API; the mock is reset before each interaction and its',
            'configuration restored at the end). Elsewhere those interactions pass only if the provider is already',
            'in that state: the report lists them.',
            'Exit codes: 0 every interaction verified; 1 an interaction failed (named in the report); 2 bad usage',
            '(bad URL, no pact files, no API key).',
          ].join('\n'),
        ) as unknown as Argv<VerifyArgs>,
    async handler(argv) {
      const { contractsVerifyHandler } = await import('./contracts-handlers.js');
      await contractsVerifyHandler(argv, ctx);
    },
  };
}

/**
 * `nexus-harness contracts test|verify`: the Pact consumer contract and its provider
 * verification. Pact loads when an action runs (`contracts --help` loads none of it).
 */
export const contractsCommand: CommandBody<object> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .command(testCommand(ctx))
      .command(verifyCommand(ctx))
      .demandCommand(1, 'Name an action: test or verify.')
      .example('$0 contracts test', 'Run the consumer tests; rewrite contracts/pacts')
      .example(
        '$0 contracts verify --provider-url http://127.0.0.1:4010/api/public',
        'Verify the mock started by `nexus-harness mock` against the pact',
      )
      .epilogue(
        "See '$0 contracts test --help' and '$0 contracts verify --help'.",
      ) as unknown as Argv<object>,
  handler: () => {},
});
