import { redactSecret, ValidationError } from './errors.js';
import type { OperationName } from './hooks.js';
import type { ListMessagesQuery } from './models.js';

/**
 * What goes on the wire for each operation: its endpoint, headers, path and body, and the
 * checks of its input that run before anything is sent. Knows nothing of attempts, limits or
 * retries. The two header sets are built once per client and shared by every request that
 * needs neither an idempotency key nor an op id.
 */

/** One operation of the API: its name for the hooks, its method, its route for error messages. */
export interface Endpoint {
  readonly name: OperationName;
  readonly method: 'GET' | 'POST';
  /** `GET /thread/{id}`, never a path with ids. */
  readonly route: string;
}

/**
 * The endpoints the client calls, as constants: an operation refers to one of these instead of
 * carrying name, method and route of its own.
 *
 * @example
 * loop.execute(ENDPOINTS.getSession, requests.threadPath(id, 'get a session'), undefined, call);
 */
export const ENDPOINTS = Object.freeze({
  createSession: Object.freeze({ name: 'createSession', method: 'POST', route: 'POST /thread' }),
  getSession: Object.freeze({ name: 'getSession', method: 'GET', route: 'GET /thread/{id}' }),
  sendMessage: Object.freeze({ name: 'sendMessage', method: 'POST', route: 'POST /thread/{id}/messages' }),
  listMessages: Object.freeze({ name: 'listMessages', method: 'GET', route: 'GET /thread/{id}/messages' }),
} satisfies Record<string, Endpoint>);

/** Options of {@link createRequestBuilder}. */
export interface RequestBuilderOptions {
  /** Sent as `api-key`; redacted from every server body the client hands back. */
  apiKey: string;
  /** Base path without a trailing slash, e.g. `/api/public`. */
  basePath: string;
  /** Longest message content accepted, characters. */
  maxMessageLength: number;
}

export interface RequestBuilder {
  /** The headers of one operation: the shared set unless it carries a key or an op id. */
  headersFor(
    method: 'GET' | 'POST',
    idempotencyKey: string | undefined,
    opId: string | undefined,
  ): Record<string, string>;
  /** `POST /thread`'s path. */
  readonly threadsPath: string;
  /** The path of one thread; throws `ValidationError` for a bad id (`what` names the operation). */
  threadPath(id: string, what: string): string;
  /** The path of a thread's messages with the query; throws `ValidationError` for a bad query. */
  messagesPath(id: string, query: ListMessagesQuery | undefined): string;
  /** Throws `ValidationError` unless `content` is a string of 1–`maxMessageLength` characters. */
  checkContent(content: unknown, what: string): asserts content is string;
  /** `POST /thread`'s body. */
  createSessionBody(message: string | undefined): string;
  /** `POST /thread/{id}/messages`'s body. */
  sendMessageBody(content: string): string;
  /** The server's body for an error: parsed JSON if it is, else (cut) text; the key redacted either way. */
  bodyForError(text: string): unknown;
}

/** Thread paths a request builder keeps, encoded; past it the cache starts over. */
const MAX_CACHED_THREAD_PATHS = 1_024;

/**
 * Creates the request builder of one client.
 *
 * @example
 * const requests = createRequestBuilder({ apiKey: 'k', basePath: '/api/public', maxMessageLength: 4_000 });
 * requests.messagesPath('t1', { order: 'asc', limit: 100 }); // '/api/public/thread/t1/messages?limit=100&order=asc'
 */
export function createRequestBuilder(options: RequestBuilderOptions): RequestBuilder {
  const { apiKey, maxMessageLength } = options;
  const getHeaders: Record<string, string> = { 'api-key': apiKey, accept: 'application/json' };
  const postHeaders: Record<string, string> = { ...getHeaders, 'content-type': 'application/json' };
  const threadsPath = `${options.basePath}/thread`;
  // A load reads the same few threads over and over (a session per VU): their paths are kept,
  // not encoded again per request. Bounded: a run of a session per iteration only refills it.
  const threadPaths = new Map<string, string>();

  function threadPath(id: string, what: string): string {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      throw new ValidationError(
        'id',
        `Failed to ${what}: the thread id must be a non-empty string of at most 200 characters.`,
      );
    }
    let path = threadPaths.get(id);
    if (path === undefined) {
      if (threadPaths.size >= MAX_CACHED_THREAD_PATHS) threadPaths.clear();
      path = `${threadsPath}/${encodeURIComponent(id)}`;
      threadPaths.set(id, path);
    }
    return path;
  }

  return {
    headersFor(method, idempotencyKey, opId) {
      const base = method === 'GET' ? getHeaders : postHeaders;
      if (idempotencyKey === undefined && opId === undefined) return base;
      // A GET of the harness (an op id, no key): a literal of one fixed shape, not a copy of
      // the template grown by a property. Same names, same order.
      if (method === 'GET' && idempotencyKey === undefined) {
        return { 'api-key': apiKey, accept: 'application/json', 'x-harness-op': opId! };
      }
      const headers = { ...base };
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      if (opId !== undefined) headers['x-harness-op'] = opId;
      return headers;
    },

    threadsPath,
    threadPath,

    messagesPath(id, query) {
      const base = `${threadPath(id, 'list messages')}/messages`;
      if (query === undefined) return base;
      let qs = '';
      const { limit, order, after, before } = query;
      if (limit !== undefined) {
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          throw new ValidationError(
            'limit',
            `Failed to list messages: limit must be an integer 1–100, got ${limit}.`,
          );
        }
        qs += `&limit=${limit}`;
      }
      if (order !== undefined) {
        if (order !== 'asc' && order !== 'desc') {
          throw new ValidationError(
            'order',
            `Failed to list messages: order must be asc or desc, got ${String(order)}.`,
          );
        }
        qs += `&order=${order}`;
      }
      if (after !== undefined) qs += `&after=${encodeURIComponent(after)}`;
      if (before !== undefined) qs += `&before=${encodeURIComponent(before)}`;
      return qs === '' ? base : `${base}?${qs.slice(1)}`;
    },

    checkContent(content, what) {
      if (typeof content !== 'string' || content.length === 0 || content.length > maxMessageLength) {
        const got = typeof content !== 'string' ? typeof content : `${content.length} characters`;
        throw new ValidationError(
          'content',
          `Failed to ${what}: content must be a string of 1–${maxMessageLength} characters, got ${got}.`,
        );
      }
    },

    createSessionBody: (message) => (message === undefined ? '{}' : JSON.stringify({ message })),
    sendMessageBody: (content) => JSON.stringify({ content }),

    bodyForError(text) {
      if (text === '') return undefined;
      const safe = redactSecret(text, apiKey);
      try {
        return JSON.parse(safe);
      } catch {
        return safe.length > 500 ? `${safe.slice(0, 500)}…` : safe;
      }
    },
  };
}
