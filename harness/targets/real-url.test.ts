/**
 * The real API is the real API however its URL is written: its quota is the client's budget
 * with `--target url` too, and nothing is asked of an admin API it does not have. No request is
 * sent here: opening a url target on the real API's URL makes none.
 */
import { describe, expect, it } from 'vitest';
import { isRealApiUrl, REAL_BASE_URL, REAL_QUOTA } from './real.js';
import { urlTarget } from './url.js';

const real = new URL(REAL_BASE_URL);
const spellings = [
  REAL_BASE_URL,
  `${REAL_BASE_URL}/`,
  `https://${real.hostname.toUpperCase()}${real.pathname}`,
  `https://${real.hostname}:443${real.pathname}`,
  `https://${real.hostname}.${real.pathname}`,
  `https://${real.hostname}/v2`,
];

describe('the real API by its URL', () => {
  it.each(spellings)('%s is the real API', (url) => {
    expect(isRealApiUrl(url)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:4010/api/public',
    `https://${real.hostname}.example.invalid/api/public`,
    `https://staging-${real.hostname.replace(/^[^.]+\./, '')}.invalid/api/public`,
    'not a url',
  ])('%s is not', (url) => {
    expect(isRealApiUrl(url)).toBe(false);
  });

  it('--target url on it gets the real quota as its budget and no ledger, opened without a request', async () => {
    for (const url of spellings) {
      const target = await urlTarget({ url, allowRemote: true }).open({
        mock: { apiKeys: ['unused'] } as never,
        env: { NEXUS_API_KEY: 'nx-test-key' },
      } as never);
      try {
        expect(target.budgets).toEqual({ from: 'quota', ...REAL_QUOTA });
        expect(target.readLedger).toBeNull();
      } finally {
        await target.close();
      }
    }
  });
});
