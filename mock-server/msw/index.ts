/**
 * The MSW face of the mock Nexus API: request handlers built on the simulator core, for
 * in-process tests with `msw/node`.
 */
export { createMswHandlers, DEFAULT_MSW_BASE_URL, type MswHandlerOptions } from './handlers.js';
export { createMswMock, type MswMock, type MswMockAdmin, type MswMockOptions } from './msw-mock.js';
