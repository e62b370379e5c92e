/**
 * The nock face of the mock Nexus API: the simulator core served through the suite's own
 * nock (an optional peer dependency, loaded only when a mock is created).
 */
export { createNockMock, DEFAULT_NOCK_BASE_URL, type NockMock, type NockMockOptions } from './nock-mock.js';
