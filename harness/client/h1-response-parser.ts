import type { ResponseHeaders } from './rate-limit-headers.js';

/**
 * An incremental parser of HTTP/1.1 responses on one keep-alive connection (RFC 9112): the
 * status line and header fields, then a body framed by `content-length`, by chunked
 * transfer-coding, or by the end of the connection. Interim (1xx) responses are skipped. It
 * is fed the socket's chunks as they come and reports one response at a time; the transport
 * sends the next request only once a response is complete (no pipelining), so bytes past the
 * end of a response are an error of the server.
 *
 * A chunk is only lent to {@link H1ResponseParser.push}: the transport reads every socket into
 * one reused buffer, so what the parser keeps past the call (a head or a body cut between
 * chunks) it copies.
 */

/** What the parser reports to its connection. */
export interface ResponseSink {
  /** Status and headers of the final (non-1xx) response, before its body. */
  onHead(status: number, headers: ResponseHeaders): void;
  /** The whole body, decoded as UTF-8, once complete; `keepAlive` false when the connection must be closed. */
  onComplete(body: string, keepAlive: boolean): void;
}

/** A response the server framed wrongly: the connection is unusable. */
export class H1ParseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE';
}

/** Longest status line plus header block accepted, bytes (undici's default is 64 KiB too). */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const COLON = 58;

/** Bytes `start`–`end` of a buffer this parser owns: a view. */
function viewOf(data: Buffer, start: number, end: number): Buffer {
  return start === 0 && end === data.length ? data : data.subarray(start, end);
}

/** Bytes `start`–`end` of a lent chunk: a copy, since the lender reuses its memory. */
function copyOf(data: Buffer, start: number, end: number): Buffer {
  return Buffer.copyBytesFrom(data, start, end - start);
}

type State = 'idle' | 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close';

export class H1ResponseParser {
  #state: State = 'idle';
  #pending: Buffer = EMPTY;
  #sink: ResponseSink | null = null;
  #headRequest = false;
  #keepAlive = true;
  #remaining = 0;
  #body: Buffer[] = [];

  /** Expects the response to a request just sent (`head`: a HEAD request, no body). */
  expect(sink: ResponseSink, head = false): void {
    this.#sink = sink;
    this.#headRequest = head;
    this.#state = 'head';
    if (this.#body.length > 0) this.#body = [];
  }

  /** True while a response is expected and not complete. */
  get busy(): boolean {
    return this.#state !== 'idle';
  }

  /** True once some of the current response has arrived (its request was surely received). */
  get started(): boolean {
    return this.#state !== 'head' || this.#pending.length > 0;
  }

  /**
   * Feeds bytes from the socket. Throws {@link H1ParseError} on a malformed response.
   *
   * It reads `data` by offset rather than cutting it into views: a whole response in one chunk
   * (the usual case on loopback) costs its header strings, one headers object and the body's
   * string, nothing more.
   */
  push(chunk: Buffer): void {
    if (this.#state === 'idle') throw new H1ParseError('the server sent bytes no request asked for');
    // A concatenation is this parser's own; the chunk is lent (see the class's note).
    const owned = this.#pending.length > 0;
    const data = owned ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = EMPTY;
    const keep = owned ? viewOf : copyOf;
    let at = 0;
    while (at < data.length) {
      // Read afresh each turn: the cases move the state on.
      const state = this.#state as State;
      switch (state) {
        case 'idle':
          throw new H1ParseError('the server sent more than one response to one request');
        case 'head': {
          const end = data.indexOf(CRLF2, at);
          if (end < 0) {
            if (data.length - at > MAX_HEAD_BYTES) throw new H1ParseError('response head longer than 64 KiB');
            this.#pending = keep(data, at, data.length);
            return;
          }
          this.#head(data, at, end);
          at = end + 4;
          break;
        }
        case 'length': {
          const take = Math.min(this.#remaining, data.length - at);
          this.#remaining -= take;
          if (this.#remaining === 0 && this.#body.length === 0) {
            // The whole body is in this chunk: decoded straight from it.
            this.#complete(data.toString('utf8', at, at + take));
          } else {
            this.#body.push(keep(data, at, at + take));
            if (this.#remaining === 0) this.#complete(this.#joinBody());
          }
          at += take;
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers': {
          const eol = data.indexOf('\r\n', at);
          if (eol < 0) {
            if (data.length - at > MAX_HEAD_BYTES) throw new H1ParseError('chunk framing line too long');
            this.#pending = keep(data, at, data.length);
            return;
          }
          const line = data.toString('latin1', at, eol);
          at = eol + 2;
          this.#chunkLine(line);
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.#remaining, data.length - at);
          this.#body.push(keep(data, at, at + take));
          this.#remaining -= take;
          at += take;
          if (this.#remaining === 0) this.#state = 'chunk-end';
          break;
        }
        case 'close':
          this.#body.push(keep(data, at, data.length));
          return;
      }
    }
  }

  /**
   * The connection ended. Completes a body framed by the end of the connection; returns false
   * when a response was expected and is cut short (the caller reports the error).
   */
  end(): boolean {
    if (this.#state === 'close') {
      this.#keepAlive = false;
      this.#complete(this.#joinBody());
      return true;
    }
    return this.#state === 'idle';
  }

  /** The status line and header fields in `data` from `start` to `end` (the blank line's CRLF). */
  #head(data: Buffer, start: number, end: number): void {
    const lineEnd = lineEndOf(data, start, end);
    const minor = statusLineMinor(data, start, lineEnd);
    if (minor < 0) {
      const line = data.toString('latin1', start, Math.min(lineEnd, start + 80));
      throw new H1ParseError(`not an HTTP/1.x status line: ${JSON.stringify(line)}`);
    }
    const status = (data[start + 9]! - 48) * 100 + (data[start + 10]! - 48) * 10 + (data[start + 11]! - 48);
    const headers: ResponseHeaders = {};
    const head = ++headsRead;
    let at = lineEnd + 2;
    while (at < end) {
      const eol = lineEndOf(data, at, end);
      readField(data, at, eol, headers, head);
      at = eol + 2;
    }
    if (status >= 100 && status < 200) {
      // Interim (100 Continue, 103 Early Hints): the final response follows on the wire.
      if (status === 101)
        throw new H1ParseError('the server switched protocols (101), which no request asked for');
      return;
    }
    const connection = headerText(headers.connection).toLowerCase();
    this.#keepAlive = minor === 1 ? !connection.includes('close') : connection.includes('keep-alive');
    this.#sink!.onHead(status, headers);
    const encoding = headerText(headers['transfer-encoding']).toLowerCase();
    const length = headers['content-length'];
    if (this.#headRequest || status === 204 || status === 304) {
      this.#complete('');
    } else if (encoding !== '') {
      if (!encoding.endsWith('chunked')) {
        this.#state = 'close'; // a coding other than chunked last: framed by the end of the connection
      } else this.#state = 'chunk-size';
    } else if (length !== undefined) {
      const text = headerText(length);
      if (!isDecimal(text)) throw new H1ParseError(`bad content-length: ${JSON.stringify(text)}`);
      this.#remaining = Number(text);
      this.#state = 'length';
      if (this.#remaining === 0) this.#complete('');
    } else {
      this.#state = 'close';
    }
  }

  #chunkLine(line: string): void {
    if (this.#state === 'chunk-end') {
      if (line !== '') throw new H1ParseError('chunk data longer than its size');
      this.#state = 'chunk-size';
      return;
    }
    if (this.#state === 'trailers') {
      if (line === '') this.#complete(this.#joinBody()); // trailer fields themselves are not kept
      return;
    }
    const size = /^([0-9a-fA-F]{1,12})(?:;.*)?$/.exec(line.trim());
    if (size === null) throw new H1ParseError(`bad chunk size: ${JSON.stringify(line.slice(0, 40))}`);
    this.#remaining = Number.parseInt(size[1]!, 16);
    this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
  }

  /** The body's pieces so far, joined and decoded. */
  #joinBody(): string {
    const body = this.#body;
    if (body.length === 0) return '';
    this.#body = [];
    return (body.length === 1 ? body[0]! : Buffer.concat(body)).toString('utf8');
  }

  #complete(body: string): void {
    const sink = this.#sink!;
    this.#sink = null;
    this.#state = 'idle';
    sink.onComplete(body, this.#keepAlive);
  }
}

/** Where the line that starts at `at` ends (its CR), or `end`. */
function lineEndOf(data: Buffer, at: number, end: number): number {
  for (let i = at; i < end; i++) if (data[i] === CR && data[i + 1] === LF) return i;
  return end;
}

/** `x` of `HTTP/1.x SSS` (then a space or the line's end) from `start` to `lineEnd`; -1 if it is not one. */
function statusLineMinor(data: Buffer, start: number, lineEnd: number): number {
  if (lineEnd - start < 12 || (lineEnd - start > 12 && data[start + 12] !== SPACE)) return -1;
  for (let i = 0; i < 7; i++) if (data[start + i] !== HTTP1[i]) return -1;
  const minor = data[start + 7]! - 48;
  if ((minor !== 0 && minor !== 1) || data[start + 8] !== SPACE) return -1;
  for (let i = 9; i < 12; i++) if (!isDigit(data[start + i]!)) return -1;
  return minor;
}

const HTTP1 = Buffer.from('HTTP/1.');

function isDigit(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

function isBlank(byte: number): boolean {
  return byte === SPACE || byte === TAB;
}

/**
 * Adds the field `name: value` on bytes `at`..`eol` to `headers` (name lower-case, both
 * trimmed). `head` numbers the head being read, to tell a name repeated in it.
 */
function readField(data: Buffer, at: number, eol: number, headers: ResponseHeaders, head: number): void {
  let colon = at;
  while (colon < eol && data[colon] !== COLON) colon++;
  let nameStart = at;
  let nameEnd = colon;
  while (nameStart < nameEnd && isBlank(data[nameStart]!)) nameStart++;
  while (nameEnd > nameStart && isBlank(data[nameEnd - 1]!)) nameEnd--;
  if (colon === eol || nameEnd <= nameStart) {
    const line = data.toString('latin1', at, Math.min(eol, at + 80));
    throw new H1ParseError(`malformed header line: ${JSON.stringify(line)}`);
  }
  let valueStart = colon + 1;
  let valueEnd = eol;
  while (valueStart < valueEnd && isBlank(data[valueStart]!)) valueStart++;
  while (valueEnd > valueStart && isBlank(data[valueEnd - 1]!)) valueEnd--;
  const known = knownField(data, nameStart, nameEnd);
  if (known === null) {
    const name = data.toString('latin1', nameStart, nameEnd).toLowerCase();
    addValue(headers, name, data.toString('latin1', valueStart, valueEnd));
    return;
  }
  let value = known.lastValue;
  if (!sameBytes(data, valueStart, valueEnd, value)) {
    value = data.toString('latin1', valueStart, valueEnd);
    if (value.length <= MAX_KEPT_VALUE) known.lastValue = value;
  }
  if (known.lastHead === head) {
    addValue(headers, known.name, value); // repeated in this head (set-cookie, say)
    return;
  }
  known.lastHead = head;
  headers[known.name] = value;
}

/** Adds `value` to a field `name` that may already be there: repeated fields become a list. */
function addValue(headers: ResponseHeaders, name: string, value: string): void {
  const before = headers[name];
  headers[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
}

/** A field name the parser has met: its lower-case text, and what it last read for it. */
interface KnownField {
  readonly name: string;
  /**
   * The value last read for it, handed out again while the bytes are the same (most of a
   * server's fields repeat on every response): no string made for them. Only short ones kept.
   */
  lastValue: string;
  /** The head it was last read in (see {@link headsRead}): a second time in one head is a repeat. */
  lastHead: number;
}

/**
 * Field names already seen, by length: a response's names are found here by their bytes, so
 * the usual ones (the same few on every response) cost no string. Bounded, so a server
 * inventing names cannot grow it; past the bound a name is read as text each time.
 */
const knownFields: KnownField[][] = [];
let knownCount = 0;
const MAX_KNOWN_NAMES = 128;
/** Longest value a known field keeps for reuse, characters. */
const MAX_KEPT_VALUE = 256;
/** Heads read so far, by every parser (a head is read whole in one call, so they never interleave). */
let headsRead = 0;

/** The known field of bytes `start`..`end` (any case), added when there is room; null past the bound. */
function knownField(data: Buffer, start: number, end: number): KnownField | null {
  const length = end - start;
  const sameLength = knownFields[length];
  if (sameLength !== undefined) {
    for (const known of sameLength) if (sameLowerCase(data, start, known.name)) return known;
  }
  if (knownCount >= MAX_KNOWN_NAMES) return null;
  knownCount++;
  const known: KnownField = {
    name: data.toString('latin1', start, end).toLowerCase(),
    lastValue: '',
    lastHead: 0,
  };
  if (sameLength === undefined) knownFields[length] = [known];
  else sameLength.push(known);
  return known;
}

/** True when bytes from `start` spell `known` (lower-case) in any case. */
function sameLowerCase(data: Buffer, start: number, known: string): boolean {
  for (let i = 0; i < known.length; i++) {
    let byte = data[start + i]!;
    if (byte >= 65 && byte <= 90) byte += 32;
    if (byte !== known.charCodeAt(i)) return false;
  }
  return true;
}

/** True when bytes `start`..`end` are `text`'s characters (latin1: one byte each). */
function sameBytes(data: Buffer, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** True when `text` is 1 to 15 decimal digits (a content-length). */
function isDecimal(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function headerText(value: string | string[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(', ') : value;
}
