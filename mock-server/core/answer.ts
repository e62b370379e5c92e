/**
 * The one way every face of the mock answers a request: the admin API under `/__admin`, the
 * simulator for the rest, and a bug in either costs that one request a 500, never the server.
 */
import { handleAdmin, isAdminPath } from './admin.js';
import { errorBody } from './error-body.js';
import type { Simulator } from './simulator.js';
import type { SimRequest, SimResponse } from './types.js';

/**
 * The simulator's (or the admin API's) answer to `request`; a throw becomes a JSON 500.
 *
 * @example
 * const response = answerRequest(simulator, { method: 'GET', path: '/api/public/thread/x', ... });
 */
export function answerRequest(simulator: Simulator, request: SimRequest): SimResponse {
  try {
    return isAdminPath(request.path) ? handleAdmin(simulator, request) : simulator.handle(request);
  } catch (error) {
    return {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: errorBody(500, `Mock server error: ${(error as Error).message}`),
      delayMs: 0,
    };
  }
}
