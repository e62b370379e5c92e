import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { tokensEqual } from '../util/token-compare.js';

/** `POST /admin/rotate-key`: registered only when the app has an admin token. */

/** The request header carrying the admin token. */
export const ADMIN_TOKEN_HEADER = 'x-admin-token';

/** What a rotation answers: the new key's fingerprint, or why it was refused. */
export type RotateOutcome = { ok: true; fingerprint: string } | { ok: false; reason: string };

const rotateBody = z.strictObject({ apiKey: z.string().min(1) });

/**
 * Registers `POST /admin/rotate-key` `{ apiKey }`, checked with {@link ADMIN_TOKEN_HEADER}
 * (constant-time). 200 with the new key's fingerprint; 400 for a bad body; 401 without the
 * token; 422 when the new key was refused (it failed its probe), with the reason.
 *
 * @example
 * registerAdminRoute(app, { adminToken, rotateKey: (key) => rotation.rotate(key) });
 */
export function registerAdminRoute(
  app: FastifyInstance,
  parts: { adminToken: string; rotateKey: (newKey: string) => Promise<RotateOutcome> },
): void {
  app.post('/admin/rotate-key', async (request, reply) => {
    if (!tokensEqual(request.headers[ADMIN_TOKEN_HEADER], parts.adminToken)) {
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: `header ${ADMIN_TOKEN_HEADER} is missing or wrong` });
    }
    const parsed = rotateBody.safeParse(request.body);
    if (!parsed.success) {
      // Not echoed: the body holds a key.
      return reply.code(400).send({
        error: 'invalid_body',
        problems: [{ field: 'apiKey', message: 'expected a non-empty string' }],
      });
    }
    const outcome = await parts.rotateKey(parsed.data.apiKey);
    return outcome.ok
      ? reply.send({ rotated: true, fingerprint: outcome.fingerprint })
      : reply.code(422).send({ error: 'key_refused', reason: outcome.reason });
  });
}
