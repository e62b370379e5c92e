/**
 * `nexus-harness/app`: the chat app (fastify) over the service layer: `POST /chat`,
 * `GET /health`, `GET /metrics`, key rotation behind an admin token, graceful shutdown. The
 * same app `nexus-harness app` serves and the `app` target loads.
 *
 * @example
 * import { startChatApp } from 'nexus-harness/app';
 *
 * const app = await startChatApp({ nexusUrl: 'http://127.0.0.1:4010/api/public', apiKey: process.env.NEXUS_API_KEY! });
 * const res = await fetch(`${app.url}/chat`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', 'x-user-id': 'user-1' },
 *   body: JSON.stringify({ message: 'What is 2+2?' }),
 * });
 * await app.close();
 *
 * @module
 */
export * from '../app/index.js';
export * from './errors.js';
