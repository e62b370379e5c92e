/**
 * The workload's `chat` op as autocannon requests: what the chat op sends (chat-sender.ts),
 * fixed once per connection. Pure: no I/O, no autocannon.
 *
 * Each connection is one user. autocannon with `pipelining: 1` (driver.ts) writes a
 * connection's next request only once the previous one was answered, or after it gave up on
 * it (a timeout or a socket error closes that socket, which ends the user's turn in the app at
 * once): so each user has one chat in flight, as the app allows (it queues a user's chats one
 * turn at a time, harness/service/session-service.ts), and a chat never waits behind another
 * connection's in the app.
 */
import type { Workload } from '../../../scenarios/model/workload.js';
import { createMessageText } from '../../engine/workload/message-text.js';
import { deriveRandom } from '../../util/random.js';
import type { BlastRequest } from './requests.js';

/** Message texts each connection cycles through: varied as the chat op's, few enough to build up front. */
export const CHAT_TEXTS_PER_CONNECTION = 16;

/** What a connection's chat requests need. */
export interface ChatRequestContext {
  /** The app's base path without a trailing slash (`''` for an app at the root of its origin). */
  basePath: string;
  /** The workload: its `message` makes the texts. */
  workload: Workload;
  /** Seeds the texts (one stream per connection, so runs repeat). */
  seed: number;
}

/**
 * The user connection `connection` (0-based) posts as: `user-<connection>`, the chat op's
 * naming, one user per connection.
 *
 * @example
 * chatUserId(3) // 'user-3'
 */
export function chatUserId(connection: number): string {
  return `user-${connection}`;
}

/**
 * The requests connection `connection` cycles through: `POST <basePath>/chat` as
 * {@link chatUserId}, with the headers and body the chat op sends (`x-user-id`, JSON
 * `{ message }`, the text made by the workload's `message` as the chat op makes it). No
 * `x-harness-op`: fixed requests cannot carry an op id each (so there is no audit), and no
 * key: the app holds the API key itself.
 *
 * @example
 * chatRequests(0, { basePath: '', workload, seed: 1 })[0]
 * // { method: 'POST', path: '/chat', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-user-id': 'user-0' }, body: '{"message":"What is 3+9? …"}' }
 */
export function chatRequests(connection: number, context: ChatRequestContext): BlastRequest[] {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    // The app's USER_ID_HEADER (harness/app/chat-route.ts): runners do not import the app.
    'x-user-id': chatUserId(connection),
  };
  const text = createMessageText(context.workload.message);
  const rand = deriveRandom(context.seed, connection);
  const path = `${context.basePath}/chat`;
  return Array.from({ length: CHAT_TEXTS_PER_CONNECTION }, () => ({
    method: 'POST' as const,
    path,
    headers,
    body: JSON.stringify({ message: text(rand) }),
  }));
}
