import type { Target } from '../engine/run/target.js';
import { UsageError } from '../util/errors.js';
import { openedTarget } from './opened.js';

/** The real service (nexus-api.md). */
export const REAL_BASE_URL = 'https://api.nexusgpt.io/api/public';
/** The quota every key has on the real service (nexus-api.md): a ceiling for the client's budgets. */
export const REAL_QUOTA = {
  perMinute: { limit: 60, windowMs: 60_000 },
  perHour: { limit: 1_000, windowMs: 3_600_000 },
} as const;

const REAL_HOST = new URL(REAL_BASE_URL).hostname;

/**
 * True when `url` points at the real Nexus API, however it is written (any case, an explicit
 * :443, a trailing dot or slash, another path): its quota applies there whatever target names
 * it. False for a URL that does not parse.
 *
 * @example
 * isRealApiUrl(REAL_BASE_URL.toUpperCase()) // true
 */
export function isRealApiUrl(url: string): boolean {
  try {
    return new URL(url).hostname.replace(/\.$/, '') === REAL_HOST;
  } catch {
    return false;
  }
}

/** Options of {@link realTarget}. */
export interface RealTargetOptions {
  /** Must be true: load to the real API is never sent by accident. */
  allowRemote?: boolean;
}

/**
 * The real Nexus API, with `NEXUS_API_KEY`, the real quota enforced in the client (a scenario
 * may lower it, never raise it), and no audit (there is no ledger). Refused without
 * `allowRemote`.
 *
 * @example
 * await runScenario(smoke, { target: realTarget({ allowRemote: true }), env: process.env });
 */
export function realTarget(options: RealTargetOptions = {}): Target {
  return {
    kind: 'real',
    async open({ env }) {
      const apiKey = env.NEXUS_API_KEY;
      if (!apiKey) throw new UsageError('Target real needs the NEXUS_API_KEY environment variable.');
      if (!options.allowRemote) {
        throw new UsageError(
          'Refusing to send load to the real Nexus API without --allow-remote. It runs with the real quota ' +
            '(60 requests per minute, 1,000 per hour) enforced in the client.',
        );
      }
      return openedTarget({
        kind: 'real',
        baseUrl: REAL_BASE_URL,
        apiKey,
        budgets: {
          from: 'quota',
          perMinute: { ...REAL_QUOTA.perMinute },
          perHour: { ...REAL_QUOTA.perHour },
        },
        readLedger: null,
        close: async () => {},
      });
    },
  };
}
