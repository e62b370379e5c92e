import type { PoolOptions } from '../../client/pool.js';
import { readHeader } from '../../client/rate-limit-headers.js';
import { resolveTimeouts, type Transport } from '../../client/transport.js';
import { createTransport } from '../../client/transport-auto.js';

/** What the chat app answered one `POST /chat` with. */
export interface ChatAnswer {
  status: number;
  /** `Retry-After` of a 429, in seconds, or `null`. */
  retryAfterSec: number | null;
  body: string;
}

/** Sends the workload's `chat` op to the chat app: one request, no retry (the app retries upstream). */
export interface ChatSender {
  /**
   * Posts `message` as `userId` with op id `opId` (`x-harness-op`, which the app forwards to its
   * Nexus calls), and resolves with the app's answer, whatever its status. Rejects with the
   * transport's typed error (network, timeout) or the signal's reason.
   */
  send(userId: string, message: string, opId: string, signal: AbortSignal): Promise<ChatAnswer>;
  close(): Promise<void>;
}

/** Options of {@link createChatSender}. */
export interface ChatSenderOptions {
  /** The app's base URL, e.g. `http://127.0.0.1:3000` (its routes are under it: `<url>/chat`). */
  url: string;
  /**
   * How long one chat may take, ms, from connect to the last byte of the answer (the app
   * answers only once the assistant has replied). Default 30 000.
   */
  timeoutMs?: number;
  /** The keep-alive pool to the app. Default the client's (16 connections). */
  pool?: PoolOptions;
}

/**
 * The `chat` op's way to the app's HTTP face: the engine is handed the app's URL by the target
 * (it never imports the app) and posts with the client's own transport (the lean `h1` path on
 * loopback, undici elsewhere), so a chat costs what a Nexus call costs on the generator's side,
 * and an app in another process (`--app-url`) is reached the same way as one the harness started.
 *
 * @example
 * const chat = createChatSender({ url: target.appUrl });
 * const answer = await chat.send('user-3', 'What is 2+2?', `${runId}.main.7.1`, signal);
 * answer.status; // 200
 */
export function createChatSender(options: ChatSenderOptions): ChatSender {
  const url = new URL(options.url);
  const path = `${url.pathname.replace(/\/+$/, '')}/chat`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeouts = resolveTimeouts({ headersTimeoutMs: timeoutMs, attemptTimeoutMs: timeoutMs });
  const transport: Transport = createTransport('auto', url.origin, options.pool ?? {}, timeouts);
  return {
    async send(userId, message, opId, signal) {
      const res = await transport.send({
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-user-id': userId,
          'x-harness-op': opId,
        },
        body: JSON.stringify({ message }),
        signal,
        route: 'POST /chat',
        onHeaders: undefined,
      });
      const retryAfter = res.status === 429 ? Number(readHeader(res.headers, 'retry-after')) : Number.NaN;
      return {
        status: res.status,
        retryAfterSec: Number.isFinite(retryAfter) ? retryAfter : null,
        body: res.body,
      };
    },
    close: () => transport.close(),
  };
}
