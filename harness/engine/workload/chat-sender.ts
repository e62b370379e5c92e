import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import { peakVus } from '../../../scenarios/model/limits.js';
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

/** Bounds of {@link chatConnections}: the client's default at least, a few hundred sockets at most. */
const MIN_CHAT_CONNECTIONS = 16;
const MAX_CHAT_CONNECTIONS = 256;

/**
 * Connections to the app for a run of `executors`: one per VU the run may have (a VU has one
 * chat on the wire at a time, and a chat holds its socket until the reply), 16–256, so chats
 * do not queue in the generator's own pool (that wait would be the harness's, counted in
 * `op_duration` as the app's). `configured` (the scenario's `client.pool.connections`) wins.
 *
 * @example
 * chatConnections(scenario.executors, scenario.client.pool?.connections); // 50 for maxVUs: 50
 */
export function chatConnections(
  executors: Readonly<Record<string, ExecutorConfig>>,
  configured: number | undefined,
): number {
  if (configured !== undefined) return configured;
  let vus = 0;
  for (const e of Object.values(executors)) vus += peakVus(e as unknown as Record<string, unknown>);
  return Math.min(MAX_CHAT_CONNECTIONS, Math.max(MIN_CHAT_CONNECTIONS, vus));
}
