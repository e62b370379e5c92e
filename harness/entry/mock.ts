/**
 * `nexus-harness/mock`: the mock Nexus API as a real HTTP server on loopback
 * (`startMockServer`), with the simulator core it serves (state, limits, assistant, faults,
 * idempotency, the ledger the auditor reads) and the admin API's helpers, and the errors and
 * type guards of every entry point. For the mock in process, without a socket, see
 * `nexus-harness/msw`.
 *
 * @example
 * import { startMockServer } from 'nexus-harness/mock';
 *
 * const mock = await startMockServer({ config: { seed: 7, limits: { perMinute: { limit: 5, windowMs: 10_000 } } } });
 * const res = await fetch(`${mock.url}/thread`, {
 *   method: 'POST',
 *   headers: { 'api-key': 'nexus-mock-key', 'content-type': 'application/json' },
 *   body: JSON.stringify({ message: 'Hello' }),
 * });
 * console.log(res.status, mock.simulator.ledger().effects.length);
 * await mock.close();
 *
 * @module
 */
export * from '../../mock-server/core/index.js';
export { HTTP_LIMIT_DEFAULTS, type HttpLimits } from '../../mock-server/http/connections.js';
export {
  type MockServerOptions,
  type RunningMockServer,
  startMockServer,
} from '../../mock-server/http/server.js';
export * from './errors.js';
