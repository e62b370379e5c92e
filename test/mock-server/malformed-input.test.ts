/**
 * Bad input never crashes the mock: hundreds of generated malformed requests (fast-check with
 * a fixed seed) through fetch, and a generated table of protocol-level garbage through raw
 * `node:net` sockets (bad request lines, invalid header lines, header overflow, body framing
 * abuse, bodies over the cap). Every one must get a 4xx with the JSON error body, and the
 * server must still answer a normal request afterwards. The fetch-level requests also run
 * against the MSW and nock faces.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../mock-server/core/clock.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, send, T0 } from './client.js';
import { type FaceInstance, mswFace, nockFace } from './faces.js';

/** The body cap for these suites: the smallest allowed, so "huge" bodies stay cheap. */
const MAX_BODY = 1_024;
/** A small maximum message length, so over-long messages stay under the body cap. */
const MAX_MESSAGE = 100;
const CONFIG = { seed: 1, limits: false, maxBodyBytes: MAX_BODY, maxMessageLength: MAX_MESSAGE };
const THREAD = 't-1';
const CURSOR = 'm1';

/** One generated request and the status it must get. */
interface BadRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const authed = (extra: Record<string, string> = {}) => ({ 'api-key': API_KEY, ...extra });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isValidSendBody(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const content = (value as { content?: unknown }).content;
  return typeof content === 'string' && content.trim() !== '' && [...content].length <= MAX_MESSAGE;
}

const postTargets = fc.constantFrom('/thread', `/thread/${THREAD}/messages`);

const badJson: fc.Arbitrary<BadRequest> = fc
  .tuple(
    postTargets,
    fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.constantFrom(
        '{',
        '{"content":',
        "{'content':'x'}",
        '[1,2',
        'NaN',
        'undefined',
        '{"a":1}}',
        '\u0000',
      ),
      fc.jsonValue().map((v) => `${JSON.stringify(v)},`),
    ),
  )
  .filter(([, text]) => text.trim() !== '' && !isJson(text))
  .map(([path, body]) => ({
    kind: 'bad JSON',
    method: 'POST',
    path,
    headers: authed(JSON_TYPE),
    body,
    status: 400,
  }));

const badMessageValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom('', ' ', '\n\t  ', 'y'.repeat(MAX_MESSAGE + 1)),
);

const wrongTypes: fc.Arbitrary<BadRequest> = fc.oneof(
  // Sends: any JSON that is not { content: 1–MAX_MESSAGE characters }.
  fc
    .oneof(
      fc.jsonValue({ maxDepth: 2 }),
      badMessageValue.map((content) => ({ content })),
    )
    .filter((v) => !isValidSendBody(v) && JSON.stringify(v).length < MAX_BODY)
    .map((v) => ({
      kind: 'wrong types (send)',
      method: 'POST',
      path: `/thread/${THREAD}/messages`,
      headers: authed(JSON_TYPE),
      body: JSON.stringify(v),
      status: 400,
    })),
  // Creates: a non-object body, or an object whose `message` is not 1–MAX_MESSAGE characters.
  fc
    .oneof(
      fc.oneof(
        fc.integer(),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer()),
      ),
      badMessageValue.map((message) => ({ message })),
    )
    .map((v) => ({
      kind: 'wrong types (create)',
      method: 'POST',
      path: '/thread',
      headers: authed(JSON_TYPE),
      body: JSON.stringify(v),
      status: 400,
    })),
);

const badQuery: fc.Arbitrary<BadRequest> = fc
  .oneof(
    fc
      .integer()
      .filter((n) => n < 1 || n > 100)
      .map((n) => `limit=${n}`),
    fc
      .string({ maxLength: 8 })
      .filter((s) => !/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 100)
      .map((s) => new URLSearchParams({ limit: s }).toString()),
    fc
      .string({ maxLength: 8 })
      .filter((s) => s !== 'asc' && s !== 'desc')
      .map((s) => new URLSearchParams({ order: s }).toString()),
    fc
      .tuple(fc.constantFrom('after', 'before'), fc.string({ maxLength: 12 }))
      .filter(([, s]) => s !== CURSOR)
      .map(([name, s]) => new URLSearchParams({ [name]: s }).toString()),
    fc.constantFrom('limit=5&limit=6', 'order=asc&order=desc', `after=${CURSOR}&after=${CURSOR}`),
  )
  .map((query) => ({
    kind: 'bad query',
    method: 'GET',
    path: `/thread/${THREAD}/messages?${query}`,
    headers: authed(),
    status: 400,
  }));

/** A URL path segment that the URL parser keeps as is (no dot segments). */
const segment = fc.webSegment().filter((s) => s !== '' && !/^(\.|%2e){1,2}$/i.test(s));

const unknownPath: fc.Arbitrary<BadRequest> = fc
  .oneof(
    segment.filter((s) => s !== 'thread').map((s) => `/${s}`),
    segment.filter((s) => s !== 'messages').map((s) => `/thread/${THREAD}/${s}`),
    segment.map((s) => `/thread/${THREAD}/messages/${s}`),
    segment.map((s) => `/thread/${s}/${s}/${s}`),
  )
  .map((path) => ({ kind: 'unknown path', method: 'GET', path, headers: authed(), status: 404 }));

const wrongMethod: fc.Arbitrary<BadRequest> = fc
  .tuple(
    fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'GET', 'POST'),
    fc.constantFrom('/thread', `/thread/${THREAD}`, `/thread/${THREAD}/messages`),
  )
  .filter(
    ([method, path]) =>
      !(method === 'POST' && path === '/thread') &&
      !(method === 'GET' && path === `/thread/${THREAD}`) &&
      !((method === 'GET' || method === 'POST') && path.endsWith('/messages')),
  )
  .map(([method, path]) => ({ kind: 'wrong method', method, path, headers: authed(), status: 405 }));

const badAuth: fc.Arbitrary<BadRequest> = fc
  .tuple(
    fc.option(fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/), { nil: undefined }),
    fc.constantFrom<[string, string]>(
      ['POST', '/thread'],
      ['GET', `/thread/${THREAD}`],
      ['GET', `/thread/${THREAD}/messages`],
    ),
  )
  .filter(([key]) => key !== API_KEY)
  .map(([key, [method, path]]) => ({
    kind: 'missing or unknown api-key',
    method,
    path,
    headers: key === undefined ? ({} as Record<string, string>) : { 'api-key': key },
    status: 401,
  }));

const badContentType: fc.Arbitrary<BadRequest> = fc
  .tuple(
    postTargets,
    fc.oneof(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'text/html; charset=utf-8',
      ),
      fc
        .tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z.+-]{1,12}$/))
        .map(([a, b]) => `${a}/${b}`),
    ),
    fc.constantFrom('{"content":"hi"}', 'content=hi', '<content>hi</content>'),
  )
  .filter(([, type]) => !type.includes('json'))
  .map(([path, type, body]) => ({
    kind: 'non-JSON content type',
    method: 'POST',
    path,
    headers: authed({ 'content-type': type }),
    body,
    status: 415,
  }));

const hugeBody: fc.Arbitrary<BadRequest> = fc
  .tuple(postTargets, fc.integer({ min: MAX_BODY + 1, max: 8 * MAX_BODY }))
  .map(([path, size]) => ({
    kind: 'body over the cap',
    method: 'POST',
    path,
    headers: authed(JSON_TYPE),
    body: JSON.stringify({ content: 'z'.repeat(size) }),
    status: 413,
  }));

const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  badJson,
  wrongTypes,
  badQuery,
  unknownPath,
  wrongMethod,
  badAuth,
  badContentType,
  hugeBody,
);

/** Asserts a 4xx with the API's JSON error body whose statusCode matches the status line. */
function expectJsonError(status: number, contentType: string | null | undefined, text: string, what: string) {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  expect(contentType, what).toMatch(/^application\/json/i);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.statusCode, what).toBe(status);
  expect(typeof body.message, what).toBe('string');
  expect(typeof body.error, what).toBe('string');
}

/** Sends every generated request to `url` (the public API base); returns how many kinds were seen. */
async function sendGenerated(url: string, numRuns: number, seed: number): Promise<Map<string, number>> {
  const kinds = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(badRequest, async (req) => {
      const what = `${req.kind}: ${req.method} ${req.path}`;
      const res = await send(`${url}${req.path}`, req.method, {
        key: null,
        headers: req.headers,
        raw: req.body,
      });
      expect(res.status, `${what} → ${res.text}`).toBe(req.status);
      expectJsonError(res.status, res.headers.get('content-type'), res.text, what);
      kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
    }),
    { seed, numRuns, endOnFailure: true },
  );
  return kinds;
}

// ---- raw sockets ---------------------------------------------------------------------------

interface RawReply {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Decodes a chunked body (enough of RFC 9112 §7.1 for the mock's own responses). */
function dechunk(data: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1)
      throw new Error(`Failed to decode a chunked body: no chunk size line in ${JSON.stringify(data)}.`);
    const size = Number.parseInt(data.slice(at, eol), 16);
    if (size === 0) return out;
    out += data.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** Parses one HTTP/1.1 response from raw bytes (the server closes after it). */
function parseResponse(raw: string): RawReply {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1)
    throw new Error(`Failed to parse the response: no end of headers in ${JSON.stringify(raw)}.`);
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine ?? '');
  if (!match) throw new Error(`Failed to parse the status line ${JSON.stringify(statusLine)}.`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const rest = raw.slice(end + 4);
  const length = headers.get('content-length');
  const body =
    headers.get('transfer-encoding') === 'chunked'
      ? dechunk(rest)
      : length !== undefined
        ? rest.slice(0, Number(length))
        : rest;
  return { status: Number(match[1]), headers, body };
}

/**
 * Writes `parts` on a fresh loopback connection and collects everything until the server
 * closes it (a reset after the response counts as the end too). Bounded by `timeoutMs`.
 */
function rawExchange(port: number, parts: readonly (string | Buffer)[], timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const data = Buffer.concat(chunks).toString('latin1');
      if (data === '' && error) reject(error);
      else resolve(data);
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish());
    socket.setTimeout(timeoutMs, () => finish(new Error(`Raw exchange timed out after ${timeoutMs} ms.`)));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}

interface RawCase {
  name: string;
  parts: (string | Buffer)[];
  /** The exact status, when the case pins one. */
  status?: number;
}

const HEAD = `Host: 127.0.0.1\r\napi-key: ${API_KEY}\r\nConnection: close\r\n`;
const GET_LINE = `GET /api/public/thread/${THREAD} HTTP/1.1\r\n`;
const POST_LINE = `POST /api/public/thread/${THREAD}/messages HTTP/1.1\r\n`;

/** A generated table of protocol-level garbage (fixed seed, so the same table every run). */
function rawCases(): RawCase[] {
  const cases: RawCase[] = [];
  const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 30 }), { seed: 4_242, numRuns: 400 });
  let r = 0;
  const pick = <T>(items: readonly T[]): T => items[rng[r++ % rng.length]! % items.length]!;

  // Bad request lines.
  const requestLines = [
    'GARBAGE',
    'GET',
    'GET / HTTP/9.9',
    'GET / FTP/1.1',
    'GET / HTTP/1.1 extra',
    ' / HTTP/1.1',
    'G@T / HTTP/1.1',
    `GET /api/public/thread/\u0000 HTTP/1.1`,
    'GET /api/public/thread/a b HTTP/1.1',
    '\u0016\u0003\u0001\u0000\u00a5\u0001', // a TLS ClientHello's first bytes on the plain port
  ];
  for (const line of requestLines)
    cases.push({
      name: `request line ${JSON.stringify(line)}`,
      parts: [`${line}\r\n${HEAD}\r\n`],
      status: 400,
    });
  // llhttp reads a request line without a version as HTTP/0.9, and takes a broken absolute
  // URL as a path: the API then answers 404. Any 4xx JSON will do for these.
  cases.push({
    name: 'request line with a broken absolute URL',
    parts: [`GET http://[::1 HTTP/1.1\r\n${HEAD}\r\n`],
  });
  cases.push({ name: 'request line "GET /" (no version)', parts: [`GET /\r\n${HEAD}\r\n`] });
  for (const garbage of fc.sample(fc.stringMatching(/^[!-~]{1,40}$/), { seed: 17, numRuns: 12 })) {
    cases.push({
      name: `request line of random garbage ${JSON.stringify(garbage)}`,
      parts: [`${garbage}\r\n\r\n`],
      status: 400,
    });
  }

  // Invalid header lines.
  const badHeaderLines = [
    'NoColonHere',
    'Bad Name: v',
    ' leading-space: v',
    ': empty-name',
    'X-Fold: a\r\n folded',
  ];
  for (const line of badHeaderLines) {
    cases.push({
      name: `header line ${JSON.stringify(line)}`,
      parts: [`${GET_LINE}${HEAD}${line}\r\n\r\n`],
      status: 400,
    });
  }
  const separators = ['(', ')', ',', '/', ';', '<', '=', '>', '?', '@', '[', '\\', ']', '{', '}', '"'];
  for (let i = 0; i < 16; i++) {
    const name = `X-Bad${pick(separators)}Name`;
    cases.push({
      name: `header name with a separator ${JSON.stringify(name)}`,
      parts: [`${GET_LINE}${HEAD}${name}: v\r\n\r\n`],
      status: 400,
    });
  }
  const controls = [0, 1, 2, 7, 8, 11, 12, 14, 27, 31];
  for (let i = 0; i < 10; i++) {
    const char = String.fromCharCode(pick(controls));
    cases.push({
      name: `header value with control character 0x${char.charCodeAt(0).toString(16)}`,
      parts: [`${GET_LINE}${HEAD}X-Value: a${char}b\r\n\r\n`],
      status: 400,
    });
  }

  // Header overflow (Node's limit is 16 KiB): one big header, many headers, a huge URL.
  for (const size of [17_000, 40_000, 100_000]) {
    cases.push({
      name: `one header of ${size} bytes`,
      parts: [`${GET_LINE}${HEAD}X-Big: ${'a'.repeat(size)}\r\n\r\n`],
      status: 431,
    });
  }
  cases.push({
    name: '4,000 small headers',
    parts: [`${GET_LINE}${HEAD}${Array.from({ length: 4_000 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`],
    status: 431,
  });
  cases.push({
    name: 'a 20,000-character URL',
    parts: [`GET /api/public/thread/${'a'.repeat(20_000)} HTTP/1.1\r\n${HEAD}\r\n`],
    status: 431,
  });

  // Body framing abuse.
  const framing: [string, string][] = [
    ['Content-Length: abc', 'Content-Length: abc\r\n\r\n'],
    ['Content-Length: -1', 'Content-Length: -1\r\n\r\n'],
    ['two different Content-Lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    [
      'Content-Length with Transfer-Encoding',
      'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['an invalid chunk size', 'Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['a chunk size with junk', 'Transfer-Encoding: chunked\r\n\r\n5 x\r\nabcde\r\n0\r\n\r\n'],
    ['an unknown transfer coding', 'Transfer-Encoding: gzip, chunked, zz\r\n\r\n0\r\n\r\n'],
  ];
  for (const [name, tail] of framing) {
    cases.push({
      name: `body framing: ${name}`,
      parts: [`${POST_LINE}${HEAD}Content-Type: application/json\r\n${tail}`],
      status: 400,
    });
  }

  // Bodies the HTTP layer accepts but the API must refuse.
  const bodies: [string, Buffer, number][] = [
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), 400],
    ['a BOM before the JSON', Buffer.from('\ufeff{"content":"hi"}'), 400],
    ['a truncated JSON object', Buffer.from('{"content":"h'), 400],
    ['NUL bytes', Buffer.from('\u0000\u0000\u0000'), 400],
    ['JSON with a numeric content', Buffer.from('{"content":5}'), 400],
  ];
  for (const [name, body, status] of bodies) {
    cases.push({
      name: `body with ${name}`,
      parts: [
        `${POST_LINE}${HEAD}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      ],
      status,
    });
  }

  // Huge bodies: declared, and chunked past the cap.
  for (const declared of [MAX_BODY + 1, 1_000_000, 10_000_000_000]) {
    cases.push({
      name: `declared Content-Length ${declared} over the cap (body never sent)`,
      parts: [
        `${POST_LINE}${HEAD}Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n{"content":`,
      ],
      status: 413,
    });
  }
  for (const chunks of [2, 5, 20]) {
    const chunk = `400\r\n${'q'.repeat(0x400)}\r\n`;
    cases.push({
      name: `chunked body of ${chunks} KiB over the cap`,
      parts: [
        `${POST_LINE}${HEAD}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        chunk.repeat(chunks),
        '0\r\n\r\n',
      ],
      status: 413,
    });
  }

  // Valid HTTP, invalid for the API: missing Host, HTTP/1.0, unknown paths and methods.
  cases.push({
    name: 'HTTP/1.1 without a Host header',
    parts: [`${GET_LINE}api-key: ${API_KEY}\r\nConnection: close\r\n\r\n`],
    status: 400,
  });
  cases.push({
    name: 'HTTP/1.0 request for an unknown thread',
    parts: [`GET /api/public/thread/none HTTP/1.0\r\napi-key: ${API_KEY}\r\n\r\n`],
    status: 404,
  });
  cases.push({
    name: 'an absolute-form URL to an unknown path',
    parts: [`GET http://mock/nowhere HTTP/1.1\r\n${HEAD}\r\n`],
    status: 404,
  });
  cases.push({ name: 'an asterisk-form URL', parts: [`OPTIONS * HTTP/1.1\r\n${HEAD}\r\n`], status: 404 });
  cases.push({ name: 'a custom method', parts: [`BREW /api/public/thread HTTP/1.1\r\n${HEAD}\r\n`] });
  return cases;
}

describe('malformed input on the HTTP face', () => {
  let server: RunningMockServer;

  beforeAll(async () => {
    server = await startMockServer({ config: CONFIG, clock: manualClock(T0), shutdownGraceMs: 200 });
    server.simulator.seedThread({ id: THREAD, messages: [{ id: CURSOR, type: 'user', content: 'hello' }] });
  });
  afterAll(() => server.close());

  it('220 generated malformed requests over fetch (bad JSON, wrong types, bad queries, unknown paths, wrong methods, bad keys, media types, bodies over the cap) each get a 4xx JSON error', async () => {
    const kinds = await sendGenerated(server.url, 220, 20_261_123);
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(220);
    expect(kinds.size).toBe(9); // every category (wrong types twice: send and create) was exercised
  });

  const table = rawCases();

  it(`a generated table of ${table.length} raw-socket requests (bad request lines, invalid header lines, header overflow, framing abuse, huge bodies) each get a 4xx JSON error`, async () => {
    expect(table.length).toBeGreaterThanOrEqual(80);
    for (const c of table) {
      const reply = parseResponse(await rawExchange(server.port, c.parts));
      if (c.status !== undefined) expect(reply.status, `${c.name}: ${reply.body}`).toBe(c.status);
      expectJsonError(reply.status, reply.headers.get('content-type'), reply.body, c.name);
    }
  });

  it('HEAD to a known path gets 405 with a JSON content type and, as HTTP requires, no body', async () => {
    const reply = parseResponse(
      await rawExchange(server.port, [`HEAD /api/public/thread HTTP/1.1\r\n${HEAD}\r\n`]),
    );
    expect(reply.status).toBe(405);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.body).toBe('');
  });

  it('after all the malformed input the server still answers normal requests, and kept no state from them', async () => {
    const created = await send(`${server.url}/thread`, 'POST', { body: { message: 'still alive?' } });
    expect(created.status).toBe(200);
    const id = (created.json as { id: string }).id;
    expect((await send(`${server.url}/thread/${id}/messages`, 'GET')).status).toBe(200);
    const effects = server.simulator.ledger().effects.filter((e) => e.kind !== 'reply_stored');
    // Only this test's thread and message: no malformed request had an effect.
    expect(effects.map((e) => e.kind)).toEqual(['thread_created', 'message_stored']);
  });
});

describe.each([mswFace, nockFace])('malformed input on the $name face', (face) => {
  let inst: FaceInstance;

  beforeAll(async () => {
    face.setup();
    inst = await face.start(CONFIG, manualClock(T0));
    inst.simulator.seedThread({ id: THREAD, messages: [{ id: CURSOR, type: 'user', content: 'hello' }] });
  });
  afterAll(async () => {
    await inst.close();
    face.teardown();
  });

  it('the same generator, 120 requests in-process: each gets the same 4xx JSON error as over HTTP', async () => {
    const kinds = await sendGenerated(inst.url, 120, 20_261_123);
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(120);
    const res = await send(`${inst.url}/thread`, 'POST', { body: {} });
    expect(res.status).toBe(200);
  });
});
