/**
 * Two runs against one mock in another process (`--target url`), at the same time: each reads
 * the ledger in pages and compacts what it read, for every reader. A run whose cursor is
 * behind what the other released cannot see those entries: its audit must say so (a gap, not
 * judged, incomplete), never report the operations as lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { COMPACTED_BY_ANOTHER_READER } from '../../harness/engine/auditor/ledger-watch.js';
import { runScenario } from '../../harness/engine/run/run-scenario.js';
import { urlTarget } from '../../harness/targets/index.js';
import { startMockServer } from '../../mock-server/http/server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const scenario = {
  name: 'one-of-two-readers',
  executors: { main: { executor: 'constant-vus', vus: 2, duration: '2s', gracefulStop: '1s' } },
  workload: { mix: { sendMessage: 1 } },
  mock: { limits: false },
};

describe('two runs reading one mock', () => {
  it('each reports what the other compacted away as a gap, never as lost', async () => {
    const mock = await startMockServer({ config: { limits: false } });
    closers.push(mock.close);
    const run = () =>
      runScenario(scenario, { target: urlTarget({ url: mock.url }), progressIntervalMs: 200 });
    const results = await Promise.all([run(), run()]);
    for (const result of results) {
      const audit = result.audit as AuditReport;
      expect(audit.operations).toBeGreaterThan(50);
      expect(audit.lost.count, JSON.stringify(audit.lost)).toBe(0);
      expect(audit.duplicates.count).toBe(0);
      if (audit.complete) continue;
      // Whatever it could not see, it says why and does not judge it.
      expect(audit.incomplete.join('\n')).toContain(COMPACTED_BY_ANOTHER_READER);
      expect(audit.unjudged).toBeGreaterThan(0);
    }
    // Both compacting every page, at least one of them reads behind the other.
    expect(results.some((r) => (r.audit as AuditReport).complete === false)).toBe(true);
  }, 30_000);
});
