import { delay, HttpResponse, type HttpResponseResolver, http, type RequestHandler } from 'msw';
import { answerRequest } from '../core/answer.js';
import { type BodyRead, readBodyBytes } from '../core/json-body.js';
import type { Simulator } from '../core/simulator.js';
import type { ConnectionFault, SimRequest, SimResponse } from '../core/types.js';

/**
 * The fake origin the MSW handlers answer on when no `baseUrl` is given.
 *
 * @example
 * await fetch(`${DEFAULT_MSW_BASE_URL}/__admin/health`); // answered by createMswHandlers(sim)
 */
export const DEFAULT_MSW_BASE_URL = 'http://nexus.mock.local';

/**
 * Options of {@link createMswHandlers}.
 *
 * @example
 * const options: MswHandlerOptions = { baseUrl: 'http://gateway.test/nexus' }; // API at …/nexus/api/public
 */
export interface MswHandlerOptions {
  /**
   * Scheme and host (optionally a path prefix) the handlers answer on; the public API is at
   * `${baseUrl}/api/public`, the admin API at `${baseUrl}/__admin`. Default
   * `http://nexus.mock.local`.
   */
  baseUrl?: string;
}

/**
 * Reads the body with the HTTP face's rules: over `maxBytes` bytes (counted before decoding)
 * → `too-large`; then `parseBodyText` (blank → no body, too deep → `too-deep`, not JSON →
 * `malformed`).
 */
async function readBody(request: Request, maxBytes: number): Promise<BodyRead> {
  if (request.body === null) return { body: undefined };
  return readBodyBytes(new Uint8Array(await request.arrayBuffer()), maxBytes);
}

/** A body that arrives in `chunkBytes` pieces every `intervalMs` (the dribble fault). */
function dribbledBody(bytes: Uint8Array, fault: Extract<ConnectionFault, { kind: 'dribble' }>) {
  let offset = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const tick = () => {
        const next = Math.min(offset + fault.chunkBytes, bytes.length);
        controller.enqueue(bytes.slice(offset, next));
        offset = next;
        if (offset >= bytes.length) controller.close();
        else timer = setTimeout(tick, fault.intervalMs);
      };
      timer = setTimeout(tick, fault.intervalMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/** A body that delivers half its bytes, then fails (the truncate fault). */
function truncatedBody(bytes: Uint8Array) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      controller.error(
        new TypeError('Failed to read the response body: the mock truncated it (truncate fault).'),
      );
    },
  });
}

/** Turns the simulator's answer into an MSW response, carrying out any connection fault as closely as MSW allows. */
async function toMswResponse(response: SimResponse): Promise<Response> {
  if (response.delayMs > 0) await delay(response.delayMs);
  const init = { status: response.status, headers: response.headers };
  const fault = response.fault;
  if (fault === undefined) return new HttpResponse(response.body, init);
  switch (fault.kind) {
    case 'reset':
    case 'empty':
      // The closest MSW has to a dropped connection: fetch rejects with a TypeError.
      return HttpResponse.error();
    case 'stall':
      await delay('infinite');
      return HttpResponse.error(); // never reached
    case 'dribble':
    case 'truncate': {
      const bytes = new TextEncoder().encode(response.body ?? '');
      const headers = { ...response.headers, 'content-length': String(bytes.length) };
      const body = fault.kind === 'dribble' ? dribbledBody(bytes, fault) : truncatedBody(bytes);
      return new HttpResponse(body, { status: response.status, headers });
    }
  }
}

/**
 * MSW request handlers for the mock Nexus API, built on the same simulator core as the HTTP
 * face: every path under `baseUrl` is answered — `/__admin/…` by the admin API, `/api/public/…`
 * by the simulator, anything else with the simulator's JSON 404, as the HTTP server does.
 * Injected latency uses msw's `delay`; connection faults are carried out as far as MSW
 * allows (reset/empty → `HttpResponse.error()`, stall → `delay('infinite')`, dribble and
 * truncate → streamed bodies).
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const sim = createSimulator({ seed: 7 });
 * const server = setupServer(...createMswHandlers(sim, { baseUrl: 'http://nexus.mock.local' }));
 * server.listen({ onUnhandledRequest: 'error' });
 * await fetch('http://nexus.mock.local/api/public/thread', { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 */
export function createMswHandlers(simulator: Simulator, options: MswHandlerOptions = {}): RequestHandler[] {
  const baseUrl = (options.baseUrl ?? DEFAULT_MSW_BASE_URL).replace(/\/+$/, '');
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');

  const resolver: HttpResponseResolver = async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname.slice(prefix.length) || '/';
    const { body, bodyError } = await readBody(request, simulator.config.maxBodyBytes);
    const simRequest: SimRequest = {
      method: request.method.toUpperCase(),
      path,
      query: url.search.slice(1),
      header: (name) => request.headers.get(name) ?? undefined,
      body,
      bodyError,
    };
    const response = answerRequest(simulator, simRequest);
    return toMswResponse(response);
  };

  // One handler for the whole origin, dispatching like the HTTP server: `/api/public/*` and
  // `/__admin/*` are answered, and any other path gets the core's JSON 404 rather than
  // falling through to msw's unhandled-request policy.
  return [http.all(`${baseUrl}/*`, resolver)];
}
