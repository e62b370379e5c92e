import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';

/** What the chat app tests share: a fast mock and small helpers for the app's routes. */

export const API_KEY = 'nexus-mock-key';

/** Client options for a fast test: polls every 10-50 ms, the mock's limits followed, not pre-budgeted. */
export const FAST_CLIENT = {
  rateLimit: false as const,
  polling: { initialIntervalMs: 10, maxIntervalMs: 50 },
};

/** The mock with replies after `replyMs` and the given config merged in. */
export function startFastMock(
  config: Record<string, unknown> = {},
  replyMs = 20,
): Promise<RunningMockServer> {
  return startMockServer({
    config: { seed: 7, limits: false, assistant: { delay: { type: 'fixed', ms: replyMs } }, ...config },
  });
}

/** `POST /chat` as a caller would send it. */
export function postChat(
  appUrl: string,
  body: unknown,
  headers: Record<string, string> = { 'x-user-id': 'u1' },
): Promise<Response> {
  return fetch(`${appUrl}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
