/**
 * `nexus-harness/service`: the guide's integration patterns on the client, to adopt in your own
 * application: the session service (per-user session reuse, waits for the reply, events,
 * errors with context), stores in memory or Redis (session repository, TTL cache, per-user
 * rate limits), the event bus, the message check, the sealed API key and its config, key
 * rotation in a running process, the redacting logger, the health check and Prometheus
 * metrics. No HTTP framework: the chat app that ties them together is `nexus-harness/app`.
 * ioredis loads only when a Redis store is made.
 *
 * @example
 * import { createNexusClient } from 'nexus-harness';
 * import { createEventBus, createServiceLogger, createServiceStores, createSessionService } from 'nexus-harness/service';
 *
 * const logger = createServiceLogger({ level: 'info', secrets: () => [process.env.NEXUS_API_KEY!] });
 * const client = createNexusClient({ apiKey: process.env.NEXUS_API_KEY });
 * const stores = await createServiceStores({ redisUrl: process.env.REDIS_URL });
 * const service = createSessionService({
 *   clients: { current: () => client }, ...stores, events: createEventBus({ logger }), logger,
 * });
 * const { reply } = await service.chat('user-1', 'What is 2+2?');
 *
 * @module
 */
export { escapeGlob } from '../service/cache/glob.js';
export * from '../service/cache/memory-cache.js';
export * from '../service/cache/redis-cache.js';
export * from '../service/config/app-config.js';
export * from '../service/config/secret-box.js';
export * from '../service/events/event-bus.js';
export * from '../service/health.js';
export * from '../service/keys/key-rotation.js';
export * from '../service/limits/memory-user-rate-limits.js';
export * from '../service/limits/redis-user-rate-limits.js';
export * from '../service/logging/logger.js';
export * from '../service/metrics.js';
export * from '../service/service-errors.js';
export * from '../service/session-service.js';
export * from '../service/sessions/memory-session-repository.js';
export * from '../service/sessions/redis-session-repository.js';
export * from '../service/store-errors.js';
export * from '../service/stores.js';
export * from '../service/types.js';
export * from '../service/validation/message-check.js';
export * from './errors.js';
