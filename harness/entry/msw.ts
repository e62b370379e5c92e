/**
 * `nexus-harness/msw`: the mock Nexus API in process, as MSW request handlers on the same
 * simulator core as the HTTP server (`createMswMock`, `createMswHandlers`), with the core's
 * clocks and config types, and the errors and type guards of every entry point. Loads `msw`;
 * start the handlers with your own `setupServer` from `msw/node`.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { createMswMock } from 'nexus-harness/msw';
 *
 * const mock = createMswMock({ seed: 7, limits: false });
 * const server = setupServer(...mock.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * console.log(mock.admin.ledger().effects.length); // 1
 * server.close();
 *
 * @module
 */
export * from '../../mock-server/core/index.js';
export * from '../../mock-server/msw/index.js';
export * from './errors.js';
