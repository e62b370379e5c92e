import type { ResponseHeaders } from './rate-limit-headers.js';

/**
 * An incremental parser of HTTP/1.1 responses on one keep-alive connection (RFC 9112): the
 * status line and header fields, then a body framed by `content-length`, by chunked
 * transfer-coding, or by the end of the connection. Interim (1xx) responses are skipped. It
 * is fed the socket's chunks as they come and reports one response at a time; the transport
 * sends the next request only once a response is complete (no pipelining), so bytes past the
 * end of a response are an error of the server.
 */

/** What the parser reports to its connection. */
export interface ResponseSink {
  /** Status and headers of the final (non-1xx) response, before its body. */
  onHead(status: number, headers: ResponseHeaders): void;
  /** The whole body, once complete; `keepAlive` false when the connection must be closed. */
  onComplete(body: Buffer, keepAlive: boolean): void;
}

/** A response the server framed wrongly: the connection is unusable. */
export class H1ParseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE';
}

/** Longest status line plus header block accepted, bytes (undici's default is 64 KiB too). */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

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
    this.#body = [];
  }

  /** True while a response is expected and not complete. */
  get busy(): boolean {
    return this.#state !== 'idle';
  }

  /** True once some of the current response has arrived (its request was surely received). */
  get started(): boolean {
    return this.#state !== 'head' || this.#pending.length > 0;
  }

  /** Feeds bytes from the socket. Throws {@link H1ParseError} on a malformed response. */
  push(chunk: Buffer): void {
    if (this.#state === 'idle') throw new H1ParseError('the server sent bytes no request asked for');
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = EMPTY;
    while (data.length > 0) {
      // Read afresh each turn: the cases move the state on.
      const state = this.#state as State;
      switch (state) {
        case 'idle':
          throw new H1ParseError('the server sent more than one response to one request');
        case 'head': {
          const end = data.indexOf(CRLF2);
          if (end < 0) {
            if (data.length > MAX_HEAD_BYTES) throw new H1ParseError('response head longer than 64 KiB');
            this.#pending = data;
            return;
          }
          this.#head(data.toString('latin1', 0, end));
          data = data.subarray(end + 4);
          break;
        }
        case 'length': {
          const take = Math.min(this.#remaining, data.length);
          this.#body.push(data.subarray(0, take));
          this.#remaining -= take;
          data = data.subarray(take);
          if (this.#remaining === 0) this.#complete();
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers': {
          const eol = data.indexOf('\r\n');
          if (eol < 0) {
            if (data.length > MAX_HEAD_BYTES) throw new H1ParseError('chunk framing line too long');
            this.#pending = data;
            return;
          }
          const line = data.toString('latin1', 0, eol);
          data = data.subarray(eol + 2);
          this.#chunkLine(line);
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.#remaining, data.length);
          this.#body.push(data.subarray(0, take));
          this.#remaining -= take;
          data = data.subarray(take);
          if (this.#remaining === 0) this.#state = 'chunk-end';
          break;
        }
        case 'close':
          this.#body.push(data);
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
      this.#complete();
      return true;
    }
    return this.#state === 'idle';
  }

  #head(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (statusLine === null)
      throw new H1ParseError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 80))}`);
    const status = Number(statusLine[2]);
    const headers: ResponseHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new H1ParseError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const before = headers[name];
      headers[name] =
        before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    }
    if (status >= 100 && status < 200) {
      // Interim (100 Continue, 103 Early Hints): the final response follows on the wire.
      if (status === 101)
        throw new H1ParseError('the server switched protocols (101), which no request asked for');
      return;
    }
    const connection = headerText(headers.connection).toLowerCase();
    this.#keepAlive =
      statusLine[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    this.#sink!.onHead(status, headers);
    const encoding = headerText(headers['transfer-encoding']).toLowerCase();
    const length = headers['content-length'];
    if (this.#headRequest || status === 204 || status === 304) {
      this.#complete();
    } else if (encoding !== '') {
      if (!encoding.endsWith('chunked')) {
        this.#state = 'close'; // a coding other than chunked last: framed by the end of the connection
      } else this.#state = 'chunk-size';
    } else if (length !== undefined) {
      const text = headerText(length);
      if (!/^\d{1,15}$/.test(text)) throw new H1ParseError(`bad content-length: ${JSON.stringify(text)}`);
      this.#remaining = Number(text);
      this.#state = 'length';
      if (this.#remaining === 0) this.#complete();
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
      if (line === '') this.#complete(); // trailer fields themselves are not kept
      return;
    }
    const size = /^([0-9a-fA-F]{1,12})(?:;.*)?$/.exec(line.trim());
    if (size === null) throw new H1ParseError(`bad chunk size: ${JSON.stringify(line.slice(0, 40))}`);
    this.#remaining = Number.parseInt(size[1]!, 16);
    this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
  }

  #complete(): void {
    const sink = this.#sink!;
    const body = this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body);
    this.#sink = null;
    this.#body = [];
    this.#state = 'idle';
    sink.onComplete(body, this.#keepAlive);
  }
}

function headerText(value: string | string[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(', ') : value;
}
