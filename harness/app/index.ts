/**
 * The chat app: a small fastify service over the session service (the guide's ChatController,
 * health check and metrics endpoints), started on loopback.
 *
 * @example
 * import { startChatApp } from './harness/app/index.js';
 * const app = await startChatApp({ nexusUrl: 'http://127.0.0.1:4010/api/public', apiKey: process.env.NEXUS_API_KEY! });
 */
export { ADMIN_TOKEN_HEADER, type RotateOutcome } from './admin-route.js';
export { buildChatApp, type ChatAppParts } from './build-app.js';
export { USER_ID_HEADER } from './chat-route.js';
export { nexusOpId, OP_ID_HEADER } from './op-ids.js';
export { type ChatAppOptions, type RunningChatApp, startChatApp } from './start-chat-app.js';
