import type { IncomingMessage } from 'node:http';
import { type ParsedBody, parseBodyText } from '../core/json-body.js';

/** What reading a request body produced: its parse (see `parseBodyText`), or `too-large`. */
export type BodyResult = ParsedBody | { kind: 'too-large' };

const MALFORMED: BodyResult = { kind: 'malformed' };
const TOO_LARGE: BodyResult = { kind: 'too-large' };

/** True when the request announces a body (a length above zero, or chunked encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads and parses a JSON body of at most `maxBytes`. A declared length over the cap is
 * refused before reading a byte; a chunked body is refused as soon as it passes the cap
 * (the caller then closes the connection, so the rest is never read).
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(parseBodyText(Buffer.concat(chunks, size).toString('utf8'))));
    // An aborted upload ends the exchange; nobody is left to answer.
    req.on('error', () => finish(MALFORMED));
  });
}
