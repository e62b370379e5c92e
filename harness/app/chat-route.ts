import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServiceLog } from '../service/logging/logger.js';
import type { ServiceMetrics } from '../service/metrics.js';
import { isServiceError, isUserLimitError } from '../service/service-errors.js';
import type { SessionService } from '../service/session-service.js';
import type { MessageCheck } from '../service/types.js';
import { formatPath } from '../util/validation.js';
import { httpFailureOf } from './http-errors.js';
import { isForwardableOpId, MAX_OP_ID_LENGTH, OP_ID_HEADER } from './op-ids.js';

/** `POST /chat`: the guide's `ChatController`, with every refusal its own status and body. */

/** What the chat route needs. */
export interface ChatRouteParts {
  service: SessionService;
  checkMessage: (text: unknown) => MessageCheck;
  metrics: ServiceMetrics;
  logger: Pick<ServiceLog, 'error'>;
  /** Longest a chat may take, ms (then 502 `request timeout`). */
  requestTimeoutMs: number;
}

/** The request header naming the user. */
export const USER_ID_HEADER = 'x-user-id';

/** Longest user id accepted, characters: it becomes part of store keys. */
const MAX_USER_ID_LENGTH = 200;

/** The body: only `message`; its content is checked by the message check, not here. */
const chatBody = z.strictObject({ message: z.string({ error: 'expected a string' }) });

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Aborts on the request's deadline, or when the caller goes away before the answer. */
function requestSignal(reply: FastifyReply, timeoutMs: number): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) gone.abort(new Error('the caller closed the connection'));
  });
  return AbortSignal.any([gone.signal, AbortSignal.timeout(timeoutMs)]);
}

/**
 * Registers `POST /chat`.
 *
 * @example
 * registerChatRoute(app, { service, checkMessage, metrics, logger, requestTimeoutMs: 30_000 });
 * // curl -H 'x-user-id: u1' -H 'content-type: application/json' -d '{"message":"What is 2+2?"}' localhost:3000/chat
 */
export function registerChatRoute(app: FastifyInstance, parts: ChatRouteParts): void {
  const { service, checkMessage, metrics, logger, requestTimeoutMs } = parts;
  app.post('/chat', async (request, reply) => {
    // Sent twice, Node joins the values ("a, b"): a third user neither header named.
    const userId =
      (request.raw.headersDistinct[USER_ID_HEADER]?.length ?? 0) > 1
        ? undefined
        : header(request, USER_ID_HEADER);
    if (userId === undefined || userId.length > MAX_USER_ID_LENGTH) {
      return reply.code(400).send({
        error: 'invalid_user_id',
        message: `header ${USER_ID_HEADER} is required, once (1-${MAX_USER_ID_LENGTH} characters)`,
      });
    }
    const opId = header(request, OP_ID_HEADER);
    if (opId !== undefined && !isForwardableOpId(opId)) {
      return reply.code(400).send({
        error: 'invalid_op_id',
        message: `header ${OP_ID_HEADER} must be 1-${MAX_OP_ID_LENGTH} visible ASCII characters`,
      });
    }
    const parsed = chatBody.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({
        error: 'invalid_body',
        problems: parsed.error.issues.map((issue) => ({
          field: formatPath(issue.path) || '(root)',
          message:
            issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
        })),
      });
    }
    const check = checkMessage(parsed.data.message);
    if (!check.ok) return reply.code(400).send({ error: 'invalid_message', problems: check.problems });
    try {
      const {
        sessionId,
        reusedSession,
        reply: message,
      } = await service.chat(userId, check.content, {
        opId,
        signal: requestSignal(reply, requestTimeoutMs),
      });
      return reply.send({
        sessionId,
        reusedSession,
        reply: { id: message.id, content: message.content, createdAt: message.createdAt },
      });
    } catch (err) {
      // The service logged its own failures; only what it did not make is logged here.
      if (!isServiceError(err) && !isUserLimitError(err)) {
        logger.error({ err, route: '/chat' }, 'chat failed outside the service');
      }
      const failure = httpFailureOf(err, Date.now());
      if (failure.rateLimited === 'upstream') metrics.upstreamRateLimited();
      else if (failure.rateLimited === 'user' && isUserLimitError(err)) metrics.userRateLimited(err.limit);
      if (failure.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(failure.retryAfterSeconds));
      return reply.code(failure.status).send(failure.body);
    }
  });
}
