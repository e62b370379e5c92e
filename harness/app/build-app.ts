import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { HealthCheck } from '../service/health.js';
import type { ServiceMetrics } from '../service/metrics.js';
import { type RotateOutcome, registerAdminRoute } from './admin-route.js';
import { type ChatRouteParts, registerChatRoute } from './chat-route.js';

/**
 * The chat app's HTTP face, from parts already made (the service, the checks, the metrics):
 * routes, the body limit, JSON answers for every refusal fastify makes itself (bad JSON, too
 * large, wrong content type, unknown route), and the request metrics. `start-chat-app.ts`
 * makes the parts; a test may pass its own.
 */

/** Everything {@link buildChatApp} needs. */
export interface ChatAppParts extends ChatRouteParts {
  health: HealthCheck;
  metrics: ServiceMetrics;
  /** With a token: `POST /admin/rotate-key`. Without: no such route (404). */
  admin?: { adminToken: string; rotateKey: (newKey: string) => Promise<RotateOutcome> };
  /** Largest request body, bytes. */
  bodyLimitBytes: number;
  /**
   * Longest time to receive a whole request (headers and body), ms: a caller trickling its
   * body cannot hold a socket longer (408, then the connection is closed). Default 10_000.
   */
  receiveTimeoutMs?: number;
}

/** The status a request is counted under when its caller went away before the answer (nginx's). */
export const CLIENT_CLOSED_STATUS = 499;

/** The route label of a request that matched no route: one label, whatever the URL. */
const UNMATCHED_ROUTE = 'unmatched';

/** fastify's own 4xx, as JSON words of ours. */
function clientErrorBody(err: FastifyError): { error: string; message: string } {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error: 'invalid_json', message: 'the body is not valid JSON (expected {"message": "..."})' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { error: 'body_too_large', message: 'the body is larger than the app accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { error: 'unsupported_media_type', message: 'send Content-Type: application/json' };
    default:
      return { error: 'bad_request', message: err.code ?? 'bad request' };
  }
}

/**
 * Builds the app (not listening yet).
 *
 * @example
 * const app = buildChatApp(parts);
 * await app.listen({ host: '127.0.0.1', port: 0 });
 */
export function buildChatApp(parts: ChatAppParts): FastifyInstance {
  const receiveTimeoutMs = parts.receiveTimeoutMs ?? 10_000;
  const app = Fastify({
    // Our own logger writes the service's lines; fastify's per-request lines would double them.
    logger: false,
    bodyLimit: parts.bodyLimitBytes,
    // fastify's default is no bound at all: a body sent a byte a minute would hold its socket forever.
    requestTimeout: receiveTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, receiveTimeoutMs),
      // Node checks the bounds above this often (its default, 30 s, would let them run 30 s late).
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(receiveTimeoutMs / 4))),
    },
    // A URL fastify cannot decode: our JSON words, counted under the unmatched label. fastify
    // runs no onRequest hook for it, so it is counted here, once.
    frameworkErrors: (err, _request, reply) => {
      parts.metrics.observeRequest(UNMATCHED_ROUTE, 400, 0);
      // Typed generic over route schemas we do not use: the plain reply is what it is.
      return (reply as unknown as FastifyReply).code(400).send({
        error: err.code === 'FST_ERR_BAD_URL' ? 'bad_url' : 'bad_request',
        message:
          err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (bad percent-encoding)' : 'bad request',
      });
    },
    // While closing: new requests on kept-alive connections get 503, idle ones are closed.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // Requests still running when close() starts answer with `Connection: close`: their
  // connection would otherwise stay open (kept alive) after them and hold close() up until
  // its bound cut it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Every request is counted once, when its response closes: answered (its status), or its caller
  // gone first (499), which fastify's onResponse never sees (it waits for a 'finish' that never comes).
  app.addHook('onRequest', async (request, reply) => {
    const startedAt = performance.now();
    reply.raw.once('close', () => {
      parts.metrics.observeRequest(
        request.routeOptions.url ?? UNMATCHED_ROUTE,
        reply.raw.writableFinished ? reply.statusCode : CLIENT_CLOSED_STATUS,
        (performance.now() - startedAt) / 1000,
      );
    });
  });

  app.setErrorHandler((err: FastifyError, _request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(clientErrorBody(err));
    parts.logger.error(
      { err: { name: err.name, message: err.message, code: err.code } },
      'unexpected app error',
    );
    return reply.code(500).send({ error: 'internal_error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  registerChatRoute(app, parts);
  app.get('/health', async (_request, reply) => {
    const report = await parts.health.check();
    return reply.code(report.status === 'healthy' ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', parts.metrics.contentType).send(await parts.metrics.render()),
  );
  if (parts.admin !== undefined) registerAdminRoute(app, parts.admin);
  return app;
}
