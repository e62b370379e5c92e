import { type BodyRead, readBodyBytes } from '../core/json-body.js';

const HEX_PAIRS = /^(?:[0-9a-f]{2})+$/;

/**
 * The bytes of a request body from the text nock hands over: nock gives a body that is valid
 * UTF-8 as that text, and any other body as the hex digits of its bytes. A text is read as hex
 * only when it is hex digit pairs whose bytes are not valid UTF-8 (so nock could not have
 * given it as text); the one body this misreads is a UTF-8 body made only of such digit pairs
 * (`90`, `c0ffee`), none of which is a JSON object or array.
 *
 * @example
 * nockBodyBytes('{"a":1}').toString(); // '{"a":1}'
 * nockBodyBytes('ff').length;          // 1: the byte 0xff, which nock gave as hex
 */
export function nockBodyBytes(text: string): Buffer {
  if (HEX_PAIRS.test(text)) {
    const bytes = Buffer.from(text, 'hex');
    if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return bytes;
  }
  return Buffer.from(text, 'utf8');
}

/**
 * Reads the body with the other faces' rules (`readBodyBytes`: over `maxBytes` bytes → `too-large`,
 * then blank → no body, too deep → `too-deep`, not JSON → `malformed`).
 *
 * @example
 * readNockBody('{"content":"hi"}', 1_048_576); // { body: { content: 'hi' } }
 * readNockBody('{bad', 1_048_576);             // { body: undefined, bodyError: 'malformed' }
 */
export function readNockBody(text: string, maxBytes: number): BodyRead {
  if (text === '') return { body: undefined };
  return readBodyBytes(nockBodyBytes(text), maxBytes);
}
