/**
 * The files of the empty project that `packed-tarball.test.ts` installs the packed tarball
 * into: what a user of the package would write. Kept as text (not as `.ts` files of the repo)
 * because they import `nexus-harness/…` as an installed package, which the repo's own
 * type-check cannot resolve before a build, and because some lines must fail to type-check.
 */

/** The consumer's package.json: ESM, no dependencies until the tarball is installed. */
export const PACKAGE_JSON = `${JSON.stringify(
  { name: 'nexus-harness-consumer', version: '0.0.0', private: true, type: 'module' },
  null,
  2,
)}\n`;

/** The entry points and the named exports each must have (a sample: the ones the README promises). */
export const ENTRY_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  'nexus-harness': [
    'createNexusClient',
    'HarnessError',
    'UsageError',
    'isUsageError',
    'ERROR_CODES',
    'ConfigError',
    'isNexusApiError',
    'isRateLimitedError',
    'isTimeoutError',
    'isNetworkError',
    'isValidationError',
    'isQueueFullError',
    'isClientClosedError',
    'RateLimitedError',
  ],
  'nexus-harness/engine': [
    'runScenario',
    'defineScenario',
    'validateScenario',
    'loadScenarioFile',
    'judge',
    'mergeResults',
    'parseResult',
    'summarise',
    'mockTarget',
    'mswTarget',
    'urlTarget',
    'pactTarget',
    'realTarget',
    'targetFor',
    'BUILTIN_SCENARIOS',
    'SCENARIO_JSON_SCHEMA_PATH',
    'HarnessError',
    'isUsageError',
    'isRateLimitedError',
  ],
  'nexus-harness/mock': ['startMockServer', 'createSimulator', 'manualClock', 'HarnessError', 'isUsageError'],
  'nexus-harness/msw': ['createMswMock', 'createMswHandlers', 'manualClock', 'HarnessError', 'isUsageError'],
  'nexus-harness/nock': [
    'createNockMock',
    'DEFAULT_NOCK_BASE_URL',
    'manualClock',
    'HarnessError',
    'isUsageError',
  ],
  'nexus-harness/contracts': [
    'verifyProvider',
    'servePact',
    'runConsumerContracts',
    'packageRoot',
    'PACKAGED_PACT_DIR',
    'PACT_FILE_NAME',
    'HarnessError',
    'isUsageError',
    'isRateLimitedError',
  ],
  'nexus-harness/service': [
    'createSessionService',
    'createServiceStores',
    'createEventBus',
    'checkMessage',
    'createKeyRotation',
    'createServiceLogger',
    'loadAppConfig',
    'sealSecret',
    'openSecret',
    'createHealthCheck',
    'createServiceMetrics',
    'isServiceError',
    'HarnessError',
  ],
  'nexus-harness/app': ['startChatApp', 'buildChatApp', 'HarnessError', 'isUsageError'],
};

/**
 * Imports every entry point and prints, as JSON, each one's export names and whether the
 * assets the package resolves from its own root (not the working directory) exist.
 */
export const IMPORTS_MJS = `import { existsSync } from 'node:fs';
import { join } from 'node:path';

const entries = ${JSON.stringify(Object.keys(ENTRY_EXPORTS))};
const exports = {};
for (const entry of entries) exports[entry] = Object.keys(await import(entry));
const engine = await import('nexus-harness/engine');
const contracts = await import('nexus-harness/contracts');
const pactFile = join(contracts.packageRoot(), contracts.PACKAGED_PACT_DIR, contracts.PACT_FILE_NAME);
console.log(JSON.stringify({
  exports,
  schema: { path: engine.SCENARIO_JSON_SCHEMA_PATH, exists: existsSync(engine.SCENARIO_JSON_SCHEMA_PATH) },
  pact: { path: pactFile, exists: existsSync(pactFile) },
}));
`;

/** Imports the entry points a load test uses; the trace shows what that loads. */
export const IMPORT_LIGHT_MJS = `await import('nexus-harness');
await import('nexus-harness/engine');
await import('nexus-harness/mock');
await import('nexus-harness/service');
`;

/**
 * Verifies the package's own mock against the pact the package ships (found from the package
 * root, in a verifier child process started from the installed build), and prints the outcome.
 */
export const VERIFY_MJS = `import { startMockServer } from 'nexus-harness/mock';
import { verifyProvider } from 'nexus-harness/contracts';

const mock = await startMockServer();
try {
  const quiet = { write: () => true };
  const report = await verifyProvider({ providerUrl: mock.url, stdout: quiet, stderr: quiet });
  console.log(JSON.stringify({ passed: report.passed, interactions: report.interactions.length }));
} finally {
  await mock.close();
}
`;

/**
 * Creates a nock mock in a project that has no nock (an optional peer dependency): importing
 * the entry must work, and creating a mock must fail with a UsageError saying how to install it.
 */
export const NOCK_MISSING_MJS = `import { createNockMock, isUsageError } from 'nexus-harness/nock';

try {
  await createNockMock();
  console.log(JSON.stringify({ created: true }));
} catch (error) {
  console.log(JSON.stringify({ created: false, usage: isUsageError(error), message: error.message }));
}
`;

/** A TypeScript scenario, as a user writes one. */
export const SCENARIO_TS = `import { defineScenario } from 'nexus-harness/engine';

export default defineScenario({
  name: 'packed-smoke',
  description: 'Two VUs for a second against the mock: every operation must succeed',
  executors: { main: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '2s' } },
  workload: { mix: { sendMessage: 1, getSession: 1 } },
  mock: { limits: false, assistant: { delay: { type: 'uniform', minMs: 5, maxMs: 20 } } },
  thresholds: { op_failed: ['rate==0'] },
});
`;

/** Runs the scenario through the public API (under the installed tsx) and prints the outcome. */
export const API_RUN_TS = `import { judge, mockTarget, runScenario, summarise } from 'nexus-harness/engine';
import scenario from './scenario.ts';

const result = await runScenario(scenario, { target: mockTarget(), durationMs: 1_000 });
console.log(JSON.stringify({ verdict: result.verdict, judged: judge(result).verdict, ops: summarise(result).ops }));
`;

/**
 * Uses every entry point with its types. The \`@ts-expect-error\` lines prove the types are real:
 * were an entry point typed \`any\`, they would not be errors and tsc would fail.
 */
export const CHECK_TS = `import { createNexusClient, HarnessError, isRateLimitedError, isUsageError, type NexusClient } from 'nexus-harness';
import {
  defineScenario,
  isNexusApiError,
  judge,
  mergeResults,
  mockTarget,
  parseResult,
  type RunResult,
  runScenario,
  type Scenario,
  summarise,
  type Target,
  targetFor,
  validateScenario,
} from 'nexus-harness/engine';
import { type RunningMockServer, startMockServer } from 'nexus-harness/mock';
import { createMswMock, type MswMock } from 'nexus-harness/msw';
import { createNockMock, type NockMock } from 'nexus-harness/nock';
import { servePact, type VerificationReport, verifyProvider } from 'nexus-harness/contracts';

const client: NexusClient = createNexusClient({ baseUrl: 'http://127.0.0.1:1/api/public', apiKey: 'nexus-mock-key' });
const scenario: Scenario = validateScenario(
  defineScenario({ name: 'typed', executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } } }),
);
const target: Target = targetFor('mock');
const run: Promise<RunResult> = runScenario(scenario, { target: mockTarget(), durationMs: 1_000 });
const merged: RunResult = mergeResults(parseResult({}), parseResult({}));
const verdict: 'passed' | 'failed' | 'interrupted' = judge(merged).verdict;
const ops: number = summarise(merged).ops;
const server: Promise<RunningMockServer> = startMockServer({ port: 0 });
const msw: MswMock = createMswMock({ seed: 1 });
const nockMock: Promise<NockMock> = createNockMock({ config: { seed: 1 }, baseUrl: 'http://nexus.mock.local' });
const report: Promise<VerificationReport> = verifyProvider({ providerUrl: 'http://127.0.0.1:1' });
const guards: boolean[] = [HarnessError.is(client), isUsageError(1), isRateLimitedError(1), isNexusApiError(1)];

// @ts-expect-error: a verdict is a string
const wrongVerdict: number = judge(merged).verdict;
// @ts-expect-error: startMockServer takes an options object
void startMockServer('port');
// @ts-expect-error: createNockMock takes an options object, not a config
void createNockMock(7);
// @ts-expect-error: servePact takes a pact file's path
void servePact(42);
// @ts-expect-error: not an executor
defineScenario({ name: 'bad', executors: { main: { executor: 'no-such-executor' } } });

void [target, run, verdict, ops, server, msw, nockMock, report, guards, wrongVerdict];
`;

/** The consumer's tsconfig: what a Node ESM project uses. `typeRoots` is filled in by the test. */
export function tsconfigJson(typeRoots: string): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        // msw's own declarations need the DOM lib; the package's are checked by attw and by
        // the test's scan of their relative imports.
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [typeRoots],
      },
      include: ['*.ts'],
    },
    null,
    2,
  )}\n`;
}
