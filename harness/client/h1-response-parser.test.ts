import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { H1ParseError, H1ResponseParser } from './h1-response-parser.js';
import type { ResponseHeaders } from './rate-limit-headers.js';

/**
 * Feeds `wire` to a fresh parser in the given pieces, each lent as the transport lends it: in
 * one reused buffer, overwritten once `push` returns (so a parser that kept a view of a piece
 * instead of a copy would read garbage). Returns what it reported.
 */
function parse(wire: string, cuts: number[] = [], end = false) {
  const parser = new H1ResponseParser();
  const seen: { status?: number; headers?: ResponseHeaders; body?: string; keepAlive?: boolean } = {};
  parser.expect({
    onHead: (status, headers) => Object.assign(seen, { status, headers }),
    onComplete: (body, keepAlive) => Object.assign(seen, { body: body.toString(), keepAlive }),
  });
  const bytes = Buffer.from(wire);
  const lent = Buffer.alloc(bytes.length);
  const lend = (piece: Buffer) => {
    piece.copy(lent);
    parser.push(lent.subarray(0, piece.length));
    lent.fill('X');
  };
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    lend(bytes.subarray(at, cut));
    at = cut;
  }
  if (at < bytes.length) lend(bytes.subarray(at));
  const ended = end ? parser.end() : null;
  return { seen, busy: parser.busy, ended };
}

const json = '{"id":"t1","status":"ACTIVE"}';
const fixed = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-RateLimit-Remaining: 7\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: ${json.length}\r\n\r\n${json}`;
const chunked = `HTTP/1.1 429 Too Many Requests\r\nretry-after: 2\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"err\r\n4;ext=1\r\nor":\r\n3\r\n"x"\r\n1\r\n}\r\n0\r\nx-trailer: 1\r\n\r\n`;

describe('H1ResponseParser', () => {
  it('reads a content-length response: status, lower-case headers (repeated ones as a list), body', () => {
    const { seen, busy } = parse(fixed);
    expect(seen.status).toBe(200);
    expect(seen.headers).toMatchObject({ 'x-ratelimit-remaining': '7', 'set-cookie': ['a=1', 'b=2'] });
    expect(seen.body).toBe(json);
    expect(seen.keepAlive).toBe(true);
    expect(busy).toBe(false);
  });

  it('reads a chunked body with extensions and trailers', () => {
    const { seen } = parse(chunked);
    expect(seen.status).toBe(429);
    expect(seen.body).toBe('{"error":"x"}');
  });

  it('gives the same response however the bytes are cut into chunks', () => {
    for (const wire of [fixed, chunked]) {
      const whole = parse(wire).seen;
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 12 }), (cuts) => {
          expect(parse(wire, cuts).seen).toEqual(whole);
        }),
        { numRuns: 200, seed: 11 },
      );
    }
  });

  it('decodes a UTF-8 body whose characters are cut between chunks', () => {
    const text = '{"content":"héllo → 世界 🎉"}';
    const wire = `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: Buffer.byteLength(wire) - 1 }), { maxLength: 8 }),
        (cuts) => {
          expect(parse(wire, cuts).seen.body).toBe(text);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('names a field in lower case however the server spells it, and trims blanks around names and values', () => {
    const wire = (name: string) => `HTTP/1.1 200 OK\r\n${name}:\t 3 \r\nCONTENT-length: 0\r\n\r\n`;
    for (const name of ['X-RateLimit-Remaining', 'x-ratelimit-remaining', 'X-RATELIMIT-REMAINING ']) {
      expect(parse(wire(name)).seen.headers).toEqual({ 'x-ratelimit-remaining': '3', 'content-length': '0' });
    }
    expect(parse('HTTP/1.1 204\r\n\r\n').seen).toMatchObject({ status: 204, headers: {}, body: '' });
  });

  it('reads every field of servers that invent many names (the names it remembers are bounded)', () => {
    for (let n = 0; n < 300; n++) {
      const { seen } = parse(`HTTP/1.1 200 OK\r\nX-Made-Up-${n}: v${n}\r\ncontent-length: 0\r\n\r\n`);
      expect(seen.headers).toEqual({ [`x-made-up-${n}`]: `v${n}`, 'content-length': '0' });
    }
  });

  it('gives each response on a connection its own values, whether they repeat, change or come twice', () => {
    const parser = new H1ResponseParser();
    const heads: ResponseHeaders[] = [];
    const sink = {
      onHead: (_status: number, headers: ResponseHeaders) => heads.push(headers),
      onComplete: () => {},
    };
    const responses = [
      'HTTP/1.1 200 OK\r\nDate: Wed, 02 Dec 2026 03:22:29 GMT\r\nSet-Cookie: a=1\r\nContent-Length: 2\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\nDate: Wed, 02 Dec 2026 03:22:29 GMT\r\nContent-Length: 4\r\n\r\nnull',
      'HTTP/1.1 200 OK\r\nDATE: Wed, 02 Dec 2026 03:22:30 GMT\r\nset-cookie: b=2\r\nSet-Cookie: c=3\r\nContent-Length: 2\r\n\r\n[]',
    ];
    for (const wire of responses) {
      parser.expect(sink);
      parser.push(Buffer.from(wire));
    }
    expect(heads).toEqual([
      { date: 'Wed, 02 Dec 2026 03:22:29 GMT', 'set-cookie': 'a=1', 'content-length': '2' },
      { date: 'Wed, 02 Dec 2026 03:22:29 GMT', 'content-length': '4' },
      { date: 'Wed, 02 Dec 2026 03:22:30 GMT', 'set-cookie': ['b=2', 'c=3'], 'content-length': '2' },
    ]);
  });

  it('skips interim 1xx responses, and reads a body framed by the end of the connection', () => {
    const { seen } = parse(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\npartial`, [], true);
    expect(seen).toMatchObject({ status: 200, body: 'partial', keepAlive: false });
  });

  it('honours connection: close and HTTP/1.0 without keep-alive', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').seen.keepAlive).toBe(
      false,
    );
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').seen.keepAlive).toBe(false);
    expect(
      parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').seen.keepAlive,
    ).toBe(true);
  });

  it('reports a response cut short by the end of the connection', () => {
    const { ended, busy } = parse(fixed.slice(0, -5), [], true);
    expect(ended).toBe(false);
    expect(busy).toBe(true);
  });

  it('refuses what is not HTTP/1.x, bad framing, and bytes past the response', () => {
    for (const wire of [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\n: no name\r\n\r\n',
      'HTTP/1.1 20x OK\r\n\r\n',
      'HTTP/1.2 200 OK\r\n\r\n',
      'HTTP/1.1 2000 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
      `${fixed}HTTP/1.1 200 OK\r\n`,
      `HTTP/1.1 200 OK\r\nx: ${'a'.repeat(70_000)}`,
    ]) {
      expect(() => parse(wire), wire.slice(0, 40)).toThrow(H1ParseError);
    }
  });
});
