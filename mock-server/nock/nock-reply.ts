import { Readable } from 'node:stream';
import type { ConnectionFault, SimResponse } from '../core/types.js';
import type { PendingReplies } from './pending-replies.js';

/** What a nock reply function resolves to: status, body, headers. */
export type NockReply = readonly [number, string | Readable, Record<string, string>];

/**
 * The error a request fails with when its connection breaks, shaped as both kinds of client
 * see it on a real socket: `fetch` rejects with a `TypeError` ("fetch failed") whose `cause`
 * carries the socket's `code`; `http.request` clients read `code` on the error itself. nock
 * hands the same error to both, so it carries both.
 *
 * @example
 * connectionError('ECONNRESET', 'read ECONNRESET').cause; // Error { code: 'ECONNRESET' }
 */
export function connectionError(code: 'ECONNRESET' | 'UND_ERR_SOCKET', message: string): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return Object.assign(new TypeError('fetch failed', { cause }), { code });
}

/** A body that arrives in `chunkBytes` pieces every `intervalMs` (the dribble fault). */
function dribbledBody(
  bytes: Buffer,
  fault: Extract<ConnectionFault, { kind: 'dribble' }>,
  pending: PendingReplies,
): Readable {
  const body = new Readable({ read() {} });
  let offset = 0;
  pending.repeat(
    fault.intervalMs,
    () => {
      if (body.destroyed) return false;
      const next = Math.min(offset + fault.chunkBytes, bytes.length);
      body.push(bytes.subarray(offset, next));
      offset = next;
      if (offset < bytes.length) return true;
      body.push(null);
      return false;
    },
    (reason) => body.destroy(reason),
  );
  return body;
}

/**
 * A body that delivers half its bytes, then fails as a closed socket does (the truncate
 * fault). It fails only when read past the half: nock listens for a body's errors only once
 * the response is handed over, and an error before that would be uncaught.
 */
function truncatedBody(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes.subarray(0, Math.floor(bytes.length / 2)));
      } else {
        this.destroy(connectionError('UND_ERR_SOCKET', 'other side closed'));
      }
    },
  });
}

/**
 * Turns the simulator's answer into what a nock reply function resolves to, after any injected
 * delay, carrying out connection faults as a socket would show them to the client: reset →
 * the request fails with `ECONNRESET`; empty → with `UND_ERR_SOCKET` "other side closed";
 * stall → no answer until the client gives up or the mock closes; dribble → the body in timed
 * pieces; truncate → the full `Content-Length`, half the body, then `UND_ERR_SOCKET`.
 *
 * @example
 * scope.intercept(() => true, 'GET').reply(() => nockReply(simulator.handle(request), pending));
 */
export async function nockReply(response: SimResponse, pending: PendingReplies): Promise<NockReply> {
  if (response.delayMs > 0) await pending.wait(response.delayMs);
  const fault = response.fault;
  if (fault === undefined) return [response.status, response.body ?? '', response.headers];
  switch (fault.kind) {
    case 'reset':
      throw connectionError('ECONNRESET', 'read ECONNRESET');
    case 'empty':
      throw connectionError('UND_ERR_SOCKET', 'other side closed');
    case 'stall':
      return pending.hold();
    case 'dribble':
    case 'truncate': {
      const bytes = Buffer.from(response.body ?? '');
      const headers = { ...response.headers, 'content-length': String(bytes.length) };
      const body = fault.kind === 'dribble' ? dribbledBody(bytes, fault, pending) : truncatedBody(bytes);
      return [response.status, body, headers];
    }
  }
}
