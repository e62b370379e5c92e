import { join } from 'node:path';
import type { Target } from '../engine/run/target.js';
import { packageRoot } from '../util/package-root.js';
import { openedTarget } from './opened.js';
import { openUrl } from './url.js';

/** Options of {@link pactTarget}. */
export interface PactTargetOptions {
  /** An already running Pact mock server: used like any URL (the loopback rule, the server's own limits). */
  url?: string;
  allowRemote?: boolean;
  /** The pact file to serve; default `NEXUS_PACT_FILE`, then the pact this package ships. */
  pactFile?: string;
}

/**
 * A Pact mock server serving the contract's interactions. The client sends the pact's
 * placeholder key, never `NEXUS_API_KEY`, and runs without budgets of its own (the contract
 * states no limits). Limits of this target (no provider states, example answers, no rate
 * limits or faults, no ledger and so no audit) are documented in
 * `contracts/pact-target/serve-pact.ts` and the README. Requests outside the contract get
 * Pact's 500 and are listed on stderr when the run ends. Pact is loaded only when this target
 * opens.
 *
 * @example
 * await runScenario(smoke, { target: pactTarget() });
 */
export function pactTarget(options: PactTargetOptions = {}): Target {
  return {
    kind: 'pact',
    async open({ mock, env }) {
      if (options.url !== undefined) {
        return openUrl('pact', { url: options.url, allowRemote: options.allowRemote }, env, mock.apiKeys[0]!);
      }
      const { servePact } = await import('../../contracts/pact-target/serve-pact.js');
      const { PACT_FILE_NAME, PACKAGED_PACT_DIR, PLACEHOLDER_API_KEY } = await import(
        '../../contracts/nexus-api.js'
      );
      const file =
        options.pactFile ?? env.NEXUS_PACT_FILE ?? join(packageRoot(), PACKAGED_PACT_DIR, PACT_FILE_NAME);
      const pact = await servePact(file);
      return openedTarget({
        kind: 'pact',
        baseUrl: pact.url,
        apiKey: PLACEHOLDER_API_KEY,
        // No client budgets: the contract states no limits, and the real quota would only slow the check.
        clientOptions: { rateLimit: false },
        budgets: { from: 'server' },
        readLedger: null,
        close: async () => {
          const uncovered = await pact.close();
          if (uncovered.length > 0) reportUncovered(uncovered, file);
        },
      });
    },
  };
}

function reportUncovered(uncovered: readonly string[], file: string): void {
  const distinct = [...new Set(uncovered)];
  process.stderr.write(
    `Pact target: ${uncovered.length} request(s) outside the contract (${file}), answered 500:\n` +
      distinct
        .slice(0, 20)
        .map((r) => `  ${r}\n`)
        .join('') +
      (distinct.length > 20 ? `  ... and ${distinct.length - 20} more distinct\n` : ''),
  );
}
