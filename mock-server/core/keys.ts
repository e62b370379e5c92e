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

/** True for a string shaped like a {@link fingerprintKey} result: `k_` and 12 hex digits. */
export function isFingerprint(value: string): boolean {
  return /^k_[0-9a-f]{12}$/.test(value);
}

/**
 * The mock's default API key. It is public (documented in the README and accepted by every
 * mock out of the box), so the public view may show it; every other key is a secret.
 */
export const PUBLIC_DEMO_KEY = 'nexus-mock-key';

/**
 * How an API key may be shown anywhere outside the mock: the public demo key as is, any other
 * key as its fingerprint.
 *
 * @example
 * shownKey('nexus-mock-key'); // 'nexus-mock-key'
 * shownKey('sk-live-123');    // 'k_…' (12 hex digits)
 */
export function shownKey(apiKey: string): string {
  return apiKey === PUBLIC_DEMO_KEY ? apiKey : fingerprintKey(apiKey);
}
