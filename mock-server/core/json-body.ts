/**
 * Parsing a request body's text, the same way on both faces. Nothing here reads a stream:
 * the face collects the bytes (under its body cap) and hands over the decoded text.
 */

/**
 * Deepest nesting of arrays and objects a request body may have. Real requests nest a few
 * levels (a mock configuration about five); deeper bodies are refused before `JSON.parse`, so
 * no validator or serialiser down the line ever recurses past its stack.
 */
export const MAX_JSON_DEPTH = 64;

/** What a request body's text turned out to be. */
export type ParsedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  /** Not JSON. */
  | { kind: 'malformed' }
  /** JSON nested deeper than {@link MAX_JSON_DEPTH}. */
  | { kind: 'too-deep' };

const NONE: ParsedBody = { kind: 'none' };
const MALFORMED: ParsedBody = { kind: 'malformed' };
const TOO_DEEP: ParsedBody = { kind: 'too-deep' };

/**
 * True when `text` opens more than `maxDepth` arrays/objects at once, counting only brackets
 * outside strings. One pass, no recursion; a text shorter than the bound cannot nest past it,
 * so the usual small body costs one length check.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  if (text.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses a body's text: blank → no body; nested deeper than {@link MAX_JSON_DEPTH} →
 * `too-deep`; not JSON → `malformed`.
 *
 * @example
 * parseBodyText('{"content":"hi"}'); // { kind: 'json', value: { content: 'hi' } }
 * parseBodyText('['.repeat(100_000)); // { kind: 'too-deep' }
 */
export function parseBodyText(text: string): ParsedBody {
  if (text.trim() === '') return NONE;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return TOO_DEEP;
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return MALFORMED;
  }
}

/**
 * Why a face could not use a request body, as {@link SimRequest.bodyError} carries it:
 * `malformed` (not JSON), `too-deep` (nested past {@link MAX_JSON_DEPTH}), `too-large` (over the
 * face's body cap).
 */
export type BodyError = 'malformed' | 'too-deep' | 'too-large';

/** The 4xx status and message the core answers for a {@link BodyError}. */
export function bodyErrorAnswer(error: BodyError, maxBodyBytes: number): { status: number; message: string } {
  switch (error) {
    case 'malformed':
      return { status: 400, message: 'Malformed JSON body' };
    case 'too-deep':
      return { status: 400, message: `Malformed JSON body: nested deeper than ${MAX_JSON_DEPTH} levels` };
    case 'too-large':
      return { status: 413, message: `Request body exceeds ${maxBodyBytes} bytes` };
  }
}

/** A request body as the simulator takes it: the parsed JSON, or why there is none to use. */
export interface BodyRead {
  body: unknown;
  bodyError?: BodyError;
}

/** Keeps a leading BOM, as the HTTP face's `Buffer#toString` does (so every face refuses it as JSON). */
const bomKeepingDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A body's bytes as the simulator takes them, by the HTTP face's rules: over `maxBytes` bytes
 * (counted before decoding) → `too-large`; then {@link parseBodyText}. For the in-process faces
 * (MSW, nock), which get the whole body at once.
 *
 * @example
 * readBodyBytes(new TextEncoder().encode('{"content":"hi"}'), 65_536) // { body: { content: 'hi' } }
 */
export function readBodyBytes(bytes: Uint8Array, maxBytes: number): BodyRead {
  if (bytes.byteLength > maxBytes) return { body: undefined, bodyError: 'too-large' };
  const parsed = parseBodyText(bomKeepingDecoder.decode(bytes));
  return parsed.kind === 'json'
    ? { body: parsed.value }
    : parsed.kind === 'none'
      ? { body: undefined }
      : { body: undefined, bodyError: parsed.kind };
}
