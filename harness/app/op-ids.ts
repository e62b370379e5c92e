import type { NexusCall } from '../service/session-service.js';

/**
 * The one rule for the op ids the chat app sends with its Nexus calls: the caller's
 * `x-harness-op` id as given for its effects (the send, and the session it creates for a new
 * user) and `${id}.read` for every read (the session check, the cursor lookup, the reply
 * polls). The audit of the mock's ledger judges a chat by the message under its id; a thread
 * under the same id is one op's thread and first message (never a duplicate), where a
 * `${id}.session` id would be an effect no operation of the run claims. Kept tiny.
 */

/** The request header carrying the caller's op id. */
export const OP_ID_HEADER = 'x-harness-op';

/** The longest op id the app passes on: far above the harness's own (`r1a2b.main.12345`). */
export const MAX_OP_ID_LENGTH = 200;

/**
 * True for an op id the app may pass on to the Nexus API: 1-{@link MAX_OP_ID_LENGTH} visible
 * ASCII characters. Anything else is refused (400) rather than written into the upstream's
 * ledger, where it would land in every audit that reads it.
 *
 * @example
 * isForwardableOpId('r1.main.7'); // true
 * isForwardableOpId('a b');       // false
 */
export function isForwardableOpId(opId: string): boolean {
  return opId.length <= MAX_OP_ID_LENGTH && /^[\x21-\x7e]+$/.test(opId);
}

/**
 * The op id of one Nexus call made for a chat request with op id `opId`.
 *
 * @example
 * nexusOpId('op-7', 'sendMessage');   // 'op-7'
 * nexusOpId('op-7', 'createSession'); // 'op-7'
 * nexusOpId('op-7', 'getSession');    // 'op-7.read'
 */
export function nexusOpId(opId: string, call: NexusCall): string {
  return call === 'sendMessage' || call === 'createSession' ? opId : `${opId}.read`;
}
