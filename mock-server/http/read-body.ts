import type { IncomingMessage } from 'node:http';

/** What reading a request body produced. */
export type BodyResult =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'malformed' }
  | { kind: 'too-large' };

const NONE: BodyResult = { kind: 'none' };
const MALFORMED: BodyResult = { kind: 'malformed' };
const TOO_LARGE: BodyResult = { kind: 'too-large' };

/** True when the request announces a body (a length above zero, or chunked encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

function parse(text: string): BodyResult {
  if (text.trim() === '') return NONE;
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return MALFORMED;
  }
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
    req.on('end', () => finish(parse(Buffer.concat(chunks, size).toString('utf8'))));
    // An aborted upload ends the exchange; nobody is left to answer.
    req.on('error', () => finish(MALFORMED));
  });
}
