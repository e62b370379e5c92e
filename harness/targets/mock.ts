import { startMockServer } from '../../mock-server/http/server.js';
import type { Target } from '../engine/run/target.js';
import { inProcessCompactor, openedTarget } from './opened.js';

/**
 * The harness's own mock server, started on a free loopback port for the run with the
 * scenario's `mock` block (limits, faults, seed) and stopped after it. Audited: the run reads
 * the mock's ledger in process. The default target.
 *
 * @example
 * const result = await runScenario(smoke, { target: mockTarget() });
 */
export function mockTarget(): Target {
  return {
    kind: 'mock',
    async open({ mock }) {
      const server = await startMockServer({ config: mock });
      const sim = server.simulator;
      return openedTarget({
        kind: 'mock',
        baseUrl: server.url,
        apiKey: mock.apiKeys[0]!,
        budgets: { from: 'mock', limits: mock.limits },
        readLedger: async (since) => sim.ledger(since),
        compactLedger: inProcessCompactor(sim),
        usesScenarioMock: true,
        unlimited: mock.limits === false,
        close: server.close,
      });
    },
  };
}
