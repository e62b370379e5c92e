import { createHash } from 'node:crypto';

/**
 * The ledger's name for an API key: the first 12 hex digits of its SHA-256. The ledger,
 * admin API and audits use this, so no key value ever leaves the mock.
 *
 * @example
 * fingerprintKey('nexus-mock-key'); // 'k_3f2a…' — stable for the same key
 */
export function fingerprintKey(apiKey: string): string {
  return `k_${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`;
}
