/**
 * `nexus-harness`: the Nexus API client under test, as an application uses it — connection
 * pool, rate limiter fed back by `X-RateLimit-*` and `Retry-After`, batcher, jittered and
 * budgeted retries, timeouts, hooks for timing — with its typed errors and their type guards.
 * Loads no Redis client until a limiter shares its budget through Redis.
 *
 * The load engine is `nexus-harness/engine`; the mock API is `nexus-harness/mock` (HTTP) and
 * `nexus-harness/msw` (in process); Pact contracts are `nexus-harness/contracts`.
 *
 * @example
 * import { createNexusClient, isRateLimitedError } from 'nexus-harness';
 *
 * const client = createNexusClient({ baseUrl: 'http://127.0.0.1:4010/api/public', apiKey: 'nexus-mock-key' });
 * try {
 *   const { id } = await client.createSession('What is 2+2?');
 *   const reply = await client.waitForReply(id);
 * } catch (err) {
 *   if (isRateLimitedError(err)) console.warn(`rate-limited until ${err.resetAtMs}`);
 *   else throw err;
 * } finally {
 *   await client.close();
 * }
 *
 * @module
 */
export * from '../client/index.js';
export * from './errors.js';
