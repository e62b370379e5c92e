import type { Target } from '../engine/run/target.js';
import { openedTarget } from './opened.js';

/**
 * The mock's simulator in process, through MSW's `setupServer` (no socket): the client sends
 * with its `fetch` transport, which MSW intercepts. Audited like `mock`. MSW is loaded only
 * when this target opens.
 *
 * @example
 * const result = await runScenario(smoke, { target: mswTarget() });
 */
export function mswTarget(): Target {
  return {
    kind: 'msw',
    async open({ mock }) {
      const { setupServer } = await import('msw/node');
      const { createMswMock } = await import('../../mock-server/msw/index.js');
      const msw = createMswMock(mock);
      const server = setupServer(...msw.handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return openedTarget({
        kind: 'msw',
        baseUrl: msw.url,
        apiKey: mock.apiKeys[0]!,
        clientOptions: { transport: 'fetch' },
        budgets: { from: 'mock', limits: mock.limits },
        readLedger: async (since) => msw.admin.ledger(since),
        usesScenarioMock: true,
        close: async () => server.close(),
      });
    },
  };
}
