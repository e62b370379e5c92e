import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintKey } from '../../mock-server/core/keys.js';
import { runOn } from '../support/run.js';

/** The result document names API keys by fingerprint only (the public demo key may stay as it is). */

const SECRET = `nx_live_${randomBytes(20).toString('hex')}`;

describe('the result document and API keys', () => {
  it('stores mock.apiKeys of the resolved scenario as fingerprints, never the keys', async () => {
    const { result } = await runOn({
      name: 'keys-in-result',
      target: 'msw',
      executors: { once: { executor: 'shared-iterations', vus: 1, iterations: 2 } },
      workload: { mix: { createSession: 1 } },
      mock: { apiKeys: [SECRET, 'nexus-mock-key'] },
    });
    const text = JSON.stringify(result);
    expect(text).not.toContain(SECRET);
    const resolved = (result.scenario as { resolved: { mock: { apiKeys: string[] } } }).resolved;
    expect(resolved.mock.apiKeys).toEqual([fingerprintKey(SECRET), 'nexus-mock-key']);
    // The run itself used the key: the mock accepted every request made with it.
    const failed = (result.metrics.op_failed as { values: { stats: { rate: number; fails: number } }[] })
      .values;
    expect(failed.map((v) => v.stats)).toEqual([expect.objectContaining({ rate: 0, fails: 2 })]);
  });
});
