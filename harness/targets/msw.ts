import { randomBytes } from 'node:crypto';
import type { Target } from '../engine/run/target.js';
import { inProcessCompactor, openedTarget } from './opened.js';

/**
 * A fake origin of its own for each opened MSW target: the handlers of all open targets share
 * one server, so each must answer only its own host. Random rather than counted, so two
 * copies of the package in one process cannot pick the same one.
 */
/** The hosts MSW targets answer on end with this; no other host is theirs. */
const MOCK_HOST_SUFFIX = '.mock.local';

function uniqueBaseUrl(): string {
  return `http://nexus-${randomBytes(6).toString('hex')}${MOCK_HOST_SUFFIX}`;
}

type MswServer = {
  listen(options: object): void;
  resetHandlers(...handlers: unknown[]): void;
  close(): void;
};

/**
 * The one `setupServer` of the process that every open MSW target's handlers are installed in.
 * MSW's Node interceptors are module-level singletons: a second `setupServer` listening at the
 * same time shares them with the first, and each server's handlers then run for the other's
 * requests ("Body is unusable", audits counting the other run's operations). So targets share
 * one server: opening one adds its handlers (on a host of its own), closing it removes them,
 * and the last one out closes the server.
 */
const shared: { server: MswServer | undefined; handlers: Map<symbol, readonly unknown[]> } = {
  server: undefined,
  handlers: new Map(),
};

function installHandlers(server: MswServer): void {
  server.resetHandlers(...[...shared.handlers.values()].flat());
}

/**
 * The mock's simulator in process, through MSW's `setupServer` (no socket): the client sends
 * with its `fetch` transport, which MSW intercepts. Audited like `mock`. MSW is loaded only
 * when this target opens. Each opened target answers on a host of its own
 * (`http://nexus-<random>.mock.local`), so several runs may use MSW targets at once.
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
      const msw = createMswMock(mock, { baseUrl: uniqueBaseUrl() });
      const id = Symbol('msw-target');
      shared.handlers.set(id, msw.handlers);
      if (shared.server === undefined) {
        const server = setupServer() as MswServer;
        installHandlers(server);
        try {
          // Every path of a target's host has a handler (anything else gets the mock's 404), so
          // an unhandled request to a mock host is one for no open target: an error. Any other
          // host (a mock target's loopback server in the same process, say) is passed through:
          // MSW's interception is process-wide, and must not break the traffic of other runs.
          server.listen({
            onUnhandledRequest: (request: Request, print: { error(): void }) => {
              if (new URL(request.url).hostname.endsWith(MOCK_HOST_SUFFIX)) print.error();
            },
          });
        } catch (err) {
          shared.handlers.delete(id);
          throw err;
        }
        shared.server = server;
      } else {
        installHandlers(shared.server);
      }
      return openedTarget({
        kind: 'msw',
        baseUrl: msw.url,
        apiKey: mock.apiKeys[0]!,
        clientOptions: { transport: 'fetch' },
        budgets: { from: 'mock', limits: mock.limits },
        readLedger: async (since) => msw.admin.ledger(since),
        compactLedger: inProcessCompactor(msw.simulator),
        usesScenarioMock: true,
        unlimited: mock.limits === false,
        close: async () => {
          if (!shared.handlers.delete(id) || shared.server === undefined) return;
          if (shared.handlers.size > 0) installHandlers(shared.server);
          else {
            shared.server.close();
            shared.server = undefined;
          }
        },
      });
    },
  };
}
