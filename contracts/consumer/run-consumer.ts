import '../../harness/util/no-pact-telemetry.js';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PactV4, SpecificationVersion } from '@pact-foundation/pact';
import { API_BASE_PATH, CONSUMER, PACT_FILE_NAME, PROVIDER } from '../nexus-api.js';
import { CONSUMER_CASES, type ConsumerCase } from './interactions.js';

/** Pact's own log level while the consumer cases run. */
export type PactLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * A Pact V4 consumer pact for the Nexus API that writes into `pactDir`. Each executed
 * interaction is merged into the one pact file there, so the cases must run one after the
 * other (two writers of one pact file corrupt it).
 *
 * @example
 * const pact = createContractPact('contracts/pacts');
 * await runConsumerCase(pact, CONSUMER_CASES[0]!);
 */
export function createContractPact(pactDir: string, logLevel: PactLogLevel = 'warn'): PactV4 {
  return new PactV4({
    consumer: CONSUMER,
    provider: PROVIDER,
    dir: resolve(pactDir),
    spec: SpecificationVersion.SPECIFICATION_VERSION_V4,
    logLevel,
  });
}

/**
 * Declares one case's interaction, starts Pact's mock server for it, drives the client through
 * it, and (when the client did what the case expects and the request matched) merges the
 * interaction into the pact file. Rejects with the client's assertion or Pact's mismatch.
 *
 * @example
 * for (const c of CONSUMER_CASES) await runConsumerCase(pact, c);
 */
export async function runConsumerCase(pact: PactV4, c: ConsumerCase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.define(pact.addInteraction().uponReceiving(c.description)).executeTest(async (server) => {
        await c.exercise(`${server.url}${API_BASE_PATH}`);
        await settle();
      });
      return;
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !onlyUnrecorded(err)) throw err;
    }
  }
}

/**
 * Pact's mock server answers first and records the match on its own thread; on a loaded
 * machine the test can ask "was everything received?" before it has. A short pause before
 * the question, and another attempt when the only complaint is a request "expected but not
 * received" although the client got its answer (a real miss fails every attempt).
 */
const SETTLE_MS = 25;
const MAX_ATTEMPTS = 3;

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

function onlyUnrecorded(err: unknown): boolean {
  const message = (err as Error)?.message ?? '';
  return (
    message.includes('expected but not received') &&
    !message.includes('was not expected') &&
    !message.includes('was incorrect')
  );
}

/**
 * Removes the pact files this consumer wrote before (`nexus-harness-client-*.json`) from
 * `pactDir`, so a run starts clean and an interaction deleted from the cases does not live on
 * in a merged file. Other consumers' pacts are left alone.
 *
 * @example
 * await clearPacts('contracts/pacts');
 */
export async function clearPacts(pactDir: string): Promise<void> {
  await mkdir(pactDir, { recursive: true });
  for (const name of await readdir(pactDir)) {
    if (name.startsWith(`${CONSUMER}-`) && name.endsWith('.json'))
      await rm(join(pactDir, name), { force: true });
  }
}

/** How one case went. */
export interface ConsumerCaseResult {
  description: string;
  ok: boolean;
  /** Why it failed: the client's assertion or Pact's mismatch report. */
  error?: string;
}

/** What {@link runConsumerContracts} did. */
export interface ConsumerRunResult {
  /** Path of the pact file written. */
  pactFile: string;
  results: ConsumerCaseResult[];
  passed: boolean;
}

/** Options of {@link runConsumerContracts}. */
export interface ConsumerRunOptions {
  /** Where the pact file goes. */
  pactDir: string;
  /** Pact's log level. Default `warn`. */
  logLevel?: PactLogLevel;
  /** Called after each case, e.g. to print a line. */
  onResult?: (result: ConsumerCaseResult) => void;
  /** The cases to run. Default all of {@link CONSUMER_CASES}. */
  cases?: readonly ConsumerCase[];
}

/**
 * Runs every consumer case, one after the other, into a clean pact file: what
 * `nexus-harness contracts test` does. A failed case is reported and the others still run;
 * the pact then lacks that interaction and `passed` is false.
 *
 * @example
 * const { passed, pactFile } = await runConsumerContracts({ pactDir: 'contracts/pacts' });
 */
export async function runConsumerContracts(options: ConsumerRunOptions): Promise<ConsumerRunResult> {
  await clearPacts(options.pactDir);
  const pact = createContractPact(options.pactDir, options.logLevel);
  const results: ConsumerCaseResult[] = [];
  for (const c of options.cases ?? CONSUMER_CASES) {
    let result: ConsumerCaseResult;
    try {
      await runConsumerCase(pact, c);
      result = { description: c.description, ok: true };
    } catch (err) {
      result = { description: c.description, ok: false, error: (err as Error)?.message ?? String(err) };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return {
    pactFile: resolve(options.pactDir, PACT_FILE_NAME),
    results,
    passed: results.every((r) => r.ok),
  };
}
