/**
 * What the parent and the verifier child process (`verifier-process.ts`) say to each other.
 * Imports nothing, so the parent can start a verification without loading Pact itself.
 */

/** Marks a process started to run a verification job (the first argument). */
export const VERIFIER_PROCESS_FLAG = '--nexus-harness-verifier';

/** What the parent asks for. */
export interface VerifierJob {
  /** The provider's root, without a trailing slash. */
  providerBaseUrl: string;
  pactUrls: string[];
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Timeout of each request to the provider, ms. */
  requestTimeoutMs: number;
  /** The key sent in place of the pact's placeholder. */
  apiKey: string;
  /** Origin of the loopback nexus-harness mock whose admin API sets provider states; `null`: none. */
  adminOrigin: string | null;
  /**
   * The mock's admin token (`NEXUS_MOCK_ADMIN_TOKEN` of the env `verifyProvider` was given),
   * sent here rather than through the child's environment; `null`: none.
   */
  adminToken: string | null;
}

/** What the child answers. */
export interface VerifierOutcome {
  /** The core's JSON result, or the message it failed with. */
  raw: string;
  /** True when the core rejected (an interaction failed, or it could not run). */
  coreFailed: boolean;
  /** Redirects the provider answered, not followed: `GET /path → 302 Location …`. */
  redirects: string[];
}
