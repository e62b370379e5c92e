/**
 * `nexus-harness/nock`: the mock Nexus API in process, served through your suite's own nock on
 * the same simulator core as the HTTP server and the MSW handlers (`createNockMock`), with the
 * core's clocks and config types, and the errors and type guards of every entry point. nock is
 * an optional peer dependency (`npm install --save-dev nock@^14`), loaded only when a mock is
 * created; while one is open, nock refuses every request off loopback that no mock serves.
 *
 * @example
 * import { createNockMock } from 'nexus-harness/nock';
 *
 * const mock = await createNockMock({ config: { seed: 7, limits: false } });
 * await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * console.log(mock.simulator.ledger().effects.length); // 1
 * await mock.close();
 *
 * @module
 */
export * from '../../mock-server/core/index.js';
export * from '../../mock-server/nock/index.js';
export * from './errors.js';
