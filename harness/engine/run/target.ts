import type { MockConfig } from '../../../mock-server/core/config.js';
import type { AuditLedgerPage } from '../../../mock-server/core/types.js';
import type { AppSettings } from '../../../scenarios/model/app-settings.js';
import type { TargetKind } from '../../../scenarios/model/target.js';
import type { WindowBudget } from '../../client/limiter.js';
import type { NexusClientOptions } from '../../client/options.js';

/**
 * What paces the client when the scenario sets no budgets of its own:
 * - `quota`: the target's quota (the real API's), a ceiling the scenario may only lower;
 * - `mock`: the limits the harness's own mock was started with (`false`: none);
 * - `server`: none of the client's own; it follows what the server announces.
 */
export type TargetBudgets =
  | { from: 'quota'; perMinute: WindowBudget; perHour: WindowBudget }
  | { from: 'mock'; limits: MockConfig['limits'] }
  | { from: 'server' };

/** A target opened for one run: where its traffic goes, and how to read the ground truth back. */
export interface OpenTarget {
  kind: TargetKind;
  /** Base URL of the public API. */
  baseUrl: string;
  apiKey: string;
  /** Client options the target imposes (the fetch transport under MSW, no budgets for Pact). */
  clientOptions: NexusClientOptions;
  /** Where the client's budgets come from when the scenario sets none. */
  budgets: TargetBudgets;
  /** Reads the ledger after `sinceSeq`; `null` when the target has none (no audit then). */
  readLedger: ((sinceSeq: number) => Promise<AuditLedgerPage>) | null;
  /**
   * Releases the ledger's entries with `seq` ≤ `throughSeq`, which the run has read, so the
   * mock's memory stays flat over a long run. `instanceId` is that of the read the seq came
   * from: a mock that is another instance (it restarted) releases nothing and the call rejects.
   * Absent when the ledger cannot be compacted. It acts for every reader of that mock: one that
   * has not read those entries yet never will (its reads show `compactedThrough` past its cursor).
   */
  compactLedger?: (throughSeq: number, instanceId: string) => Promise<void>;
  /**
   * The ledger belongs to a mock in another process, which may restart under the run: the run
   * follows it as it goes, so a restart shows as a gap instead of lost operations.
   */
  ledgerMayRestart: boolean;
  /** The scenario's `mock` block (limits, faults) configures this target. */
  usesScenarioMock: boolean;
  /**
   * Known to enforce no request limits (the harness's own mock with `limits: false`, here or
   * in another process): only then does the run's setup create VU sessions and send warm-up
   * reads before the clock starts. A target with a quota (or one that may have one) is never
   * sent requests its scenario did not ask for.
   */
  unlimited: boolean;
  /** Fingerprint of `apiKey`, as the ledger names it. */
  keyId: string;
  /**
   * Base URL of the chat app in front of the API (target `app`), where the workload's `chat` op
   * posts (`<appUrl>/chat`); absent for every other target. The engine reaches the app only
   * through this URL, never by importing it.
   */
  appUrl?: string;
  /**
   * Called once when the load has ended (every operation ended or cut), before the result is
   * made: a target that reports on itself reads that here (the app target reads the app's
   * `/metrics`, which `describe()` then includes). Bounded by the run; it should not throw.
   */
  loadEnded?(): Promise<void>;
  /** A description for the result document; never contains the key. */
  describe(): TargetDescription;
  close(): Promise<void>;
}

/** A target as the result document describes it. */
export interface TargetDescription {
  kind: TargetKind;
  baseUrl: string;
  audited: boolean;
  /** Target `app`: the app's URL and what its own `/metrics` counted (see `harness/targets/app.ts`). */
  app?: AppTargetReport;
}

/** What the app target reports of the chat app it sent the load to. */
export interface AppTargetReport {
  url: string;
  /** Whether the harness started the app (else it was `--app-url`'s). */
  started: boolean;
  /**
   * `POST /chat` requests by HTTP status, as the app's `/metrics` counted them over its life
   * (for an app the harness started: this run); `null` when `/metrics` could not be read.
   */
  chatRequests: Record<string, number> | null;
}

/**
 * Where a run sends its load, as `runScenario` receives it: the engine opens it when the run
 * starts and closes it when the run ends, and knows no face of the mock. The targets that ship
 * are in `harness/targets/` (`mockTarget()`, `mswTarget()`, `urlTarget()`, `pactTarget()`,
 * `realTarget()`, or `targetFor(kind)`).
 *
 * @example
 * const result = await runScenario(smoke, { target: mockTarget() });
 */
export interface Target {
  readonly kind: TargetKind;
  /**
   * Opens it for one run; `mock` is the scenario's mock configuration, `app` its chat-app
   * settings (target `app`), `env` the environment.
   */
  open(context: { mock: MockConfig; app?: AppSettings; env: NodeJS.ProcessEnv }): Promise<OpenTarget>;
}
