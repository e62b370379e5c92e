// First: Pact must never load with its telemetry on (see the module).
import '../util/no-pact-telemetry.js';

export {
  CONSUMER_CASES,
  type ConsumerCase,
} from '../../contracts/consumer/interactions.js';
export {
  type ConsumerCaseResult,
  type ConsumerRunOptions,
  type ConsumerRunResult,
  clearPacts,
  createContractPact,
  type PactLogLevel,
  runConsumerCase,
  runConsumerContracts,
} from '../../contracts/consumer/run-consumer.js';
export {
  API_BASE_PATH,
  CONSUMER,
  DEFAULT_PACT_DIR,
  PACKAGED_PACT_DIR,
  PACT_FILE_NAME,
  PROVIDER,
  STATES,
} from '../../contracts/nexus-api.js';
export { type PactTarget, servePact } from '../../contracts/pact-target/serve-pact.js';
export { ProviderStateError } from '../../contracts/provider/provider-states.js';
export {
  formatVerificationReport,
  type InteractionVerdict,
  type VerificationReport,
} from '../../contracts/provider/verification-report.js';
export {
  findPactFiles,
  providerRoot,
  type StatesMode,
  type VerifyProviderOptions,
  verifyProvider,
} from '../../contracts/provider/verify-provider.js';
/**
 * `nexus-harness/contracts`: the Pact V4 contract of the Nexus API as the harness's client
 * uses it. Provider verification of any Nexus-compatible server against the committed pact
 * (`verifyProvider`; the pact ships in the package, at `PACKAGED_PACT_DIR` under
 * `packageRoot()`), the consumer cases that write the pact (`runConsumerContracts`), a Pact
 * mock server serving a pact file (`servePact`), and the errors and type guards of every entry
 * point. Loads `@pact-foundation/pact`, with its telemetry turned off.
 *
 * @example
 * import { formatVerificationReport, verifyProvider } from 'nexus-harness/contracts';
 *
 * const report = await verifyProvider({ providerUrl: 'http://127.0.0.1:4010' });
 * console.log(formatVerificationReport(report));
 * process.exitCode = report.passed ? 0 : 1;
 *
 * @module
 */
export { packageRoot } from '../util/package-root.js';
export * from './errors.js';
