// First: Pact must never load with its telemetry on (see the module).
import '../../util/no-pact-telemetry.js';
import { readFile } from 'node:fs/promises';
import { runConsumerContracts } from '../../../contracts/consumer/run-consumer.js';
import { formatVerificationReport } from '../../../contracts/provider/verification-report.js';
import { type StatesMode, verifyProvider } from '../../../contracts/provider/verify-provider.js';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES } from '../exit-codes.js';

/** The flags of `contracts test`. */
export interface TestArgs {
  'pact-dir': string;
}

/** The flags of `contracts verify`. */
export interface VerifyArgs {
  'provider-url': string;
  'pact-dir'?: string;
  states: StatesMode;
}

/**
 * `contracts test`: the consumer cases through Pact's mock server, one line each; writes the
 * pact and leaves 0 (all passed) or 1 in `ctx.exitCode`.
 *
 * @example
 * await contractsTestHandler({ 'pact-dir': 'contracts/pacts' }, ctx);
 */
export async function contractsTestHandler(argv: TestArgs, ctx: CommandContext): Promise<void> {
  const out = (line: string) => ctx.stdout.write(`${line}\n`);
  out(`Consumer contract tests: the Nexus client against Pact's mock server, one interaction at a time`);
  const run = await runConsumerContracts({
    pactDir: argv['pact-dir'],
    onResult: (r) => {
      out(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.description}`);
      if (!r.ok) for (const line of (r.error ?? '').split('\n')) out(`          ${line}`);
    },
  });
  const failed = run.results.filter((r) => !r.ok).length;
  if (run.passed) {
    const pact = JSON.parse(await readFile(run.pactFile, 'utf8')) as { interactions?: unknown[] };
    out(`Pact written: ${run.pactFile} (${pact.interactions?.length ?? 0} interactions)`);
    out(`Next: nexus-harness contracts verify --provider-url http://127.0.0.1:4010/api/public`);
    ctx.exitCode = EXIT_CODES.OK;
  } else {
    out(`${failed} of ${run.results.length} consumer test(s) FAILED; the pact lacks those interactions.`);
    ctx.exitCode = EXIT_CODES.UNEXPECTED;
  }
}

/**
 * `contracts verify`: replays the pact against `--provider-url` (Pact's own account passes
 * through the invocation's redacting streams), prints the report, leaves 0 or 1 in
 * `ctx.exitCode`.
 *
 * @example
 * await contractsVerifyHandler({ 'provider-url': url, states: 'auto' }, ctx);
 */
export async function contractsVerifyHandler(argv: VerifyArgs, ctx: CommandContext): Promise<void> {
  const report = await verifyProvider({
    providerUrl: argv['provider-url'],
    pactDir: argv['pact-dir'],
    states: argv.states,
    env: ctx.env,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
  });
  // Pact prints its own detailed account above; this is the summary that names each interaction.
  ctx.stdout.write(`\n${formatVerificationReport(report)}`);
  ctx.exitCode = report.passed ? EXIT_CODES.OK : EXIT_CODES.UNEXPECTED;
}
