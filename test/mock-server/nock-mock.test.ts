/**
 * The nock face's own promises, beyond the parity suite (which runs every case on it through
 * faces.ts): nothing leaves loopback while a nock mock is open, nock's state is given back on
 * close, `node:http` clients are served as well as `fetch`, a path prefix is honoured, closing
 * ends what is still pending, and a missing nock is a clear error.
 */
import http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createNexusClient } from '../../harness/client/client.js';
import { isUsageError } from '../../harness/util/errors.js';
import { manualClock } from '../../mock-server/core/clock.js';
import { startMockServer } from '../../mock-server/http/server.js';
import { createNockMock, type NockMock } from '../../mock-server/nock/index.js';
import { loadNock, type NockModule } from '../../mock-server/nock/load-nock.js';
import { allowsLoopbackOnly, holdNetPolicy, releaseNetPolicy } from '../../mock-server/nock/net-policy.js';
import { API_KEY, expectError, send, T0 } from './client.js';

const open: NockMock[] = [];
async function openMock(options: Parameters<typeof createNockMock>[0] = {}): Promise<NockMock> {
  const mock = await createNockMock({ clock: manualClock(T0), ...options });
  open.push(mock);
  return mock;
}

afterEach(async () => {
  for (const mock of open.splice(0)) await mock.close();
});
// Importing nock activated it; other files of this worker must get real sockets back.
afterAll(() => {
  if (nock.isActive()) nock.restore();
});

/** The error fetch rejected with, and the codes along its cause chain. */
async function failureOf(promise: Promise<unknown>): Promise<{ error: unknown; codes: string[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const codes: string[] = [];
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return { error, codes };
}

/**
 * One request through `node:http` (as axios, got and superagent send): status, headers, body.
 * `http.request` is looked up on the module at call time, as nock requires: a `request` taken
 * by a named ESM import before nock loaded is the unpatched one, which nock never sees.
 */
function viaHttp(
  url: string,
  method: string,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'api-key': API_KEY };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('nothing leaves loopback while a nock mock is open', () => {
  it('a request to a host no mock serves is refused by nock (NetConnectNotAllowedError), never sent; so is a path outside the mock', async () => {
    const mock = await openMock();
    const elsewhere = await failureOf(
      fetch('http://nexus-elsewhere.invalid/api/public/thread', { method: 'POST' }),
    );
    expect(elsewhere.error).toBeInstanceOf(Error);
    expect((elsewhere.error as Error).name).toBe('NetConnectNotAllowedError');
    expect((elsewhere.error as Error).message).toMatch(
      /Disallowed net connect for "nexus-elsewhere\.invalid:80/,
    );
    expect(elsewhere.codes).toContain('ENETUNREACH');
    // node:http clients too.
    const viaNode = await failureOf(viaHttp('http://nexus-elsewhere.invalid/x', 'GET'));
    expect((viaNode.error as Error).name).toBe('NetConnectNotAllowedError');
    // The mock's own origin answers every path (the core's JSON 404 for unknown ones).
    expectError(await send(`${mock.origin}/not-the-api`, 'GET'), 404);
  });

  it('loopback stays reachable: a real mock server on 127.0.0.1 answers while the nock mock is open', async () => {
    await openMock();
    const server = await startMockServer({ shutdownGraceMs: 200 });
    try {
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
      const res = await send(`${server.url}/thread`, 'POST');
      expect(res.status, res.text).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('the net-connect rule allows loopback hosts only', () => {
    for (const host of ['127.0.0.1:4010', 'localhost:80', '[::1]:8080', '127.1.2.3:1']) {
      expect(allowsLoopbackOnly(host), host).toBe(true);
    }
    for (const host of ['nexus.mock.local:80', '0.0.0.0:80', '10.0.0.1:80', 'example.invalid:443', '::1']) {
      expect(allowsLoopbackOnly(host), host).toBe(false);
    }
  });
});

describe("nock's state is given back", () => {
  it("the refusal holds while any mock is open; closing the last one gives net connect back to nock's default", async () => {
    const first = await openMock();
    const second = await openMock({ baseUrl: 'http://nexus-2.mock.local' });
    await first.close();
    const still = await failureOf(fetch('http://nexus-elsewhere.invalid/'));
    expect((still.error as Error).name).toBe('NetConnectNotAllowedError');
    await second.close();
    // What closing the last mock does to nock, recorded on a stand-in (the real nock would have
    // to send a request off loopback to show it).
    const calls: string[] = [];
    const standIn = {
      isActive: () => true,
      activate: () => calls.push('activate'),
      restore: () => calls.push('restore'),
      disableNetConnect: () => calls.push('disableNetConnect'),
      enableNetConnect: (matcher?: unknown) =>
        calls.push(matcher === undefined ? 'enableNetConnect(all)' : `enableNetConnect(${typeof matcher})`),
    } as unknown as NockModule;
    holdNetPolicy(standIn, 'http://a.mock.local');
    holdNetPolicy(standIn, 'http://b.mock.local');
    expect(calls).toEqual(['disableNetConnect', 'enableNetConnect(function)']);
    releaseNetPolicy(standIn, 'http://a.mock.local');
    expect(calls).toHaveLength(2);
    releaseNetPolicy(standIn, 'http://b.mock.local');
    releaseNetPolicy(standIn, 'http://b.mock.local');
    expect(calls).toEqual(['disableNetConnect', 'enableNetConnect(function)', 'enableNetConnect(all)']);
  });

  it('nock restored by the suite is activated for the mock and restored again when it closes', async () => {
    if (nock.isActive()) nock.restore();
    const mock = await openMock();
    expect(nock.isActive()).toBe(true);
    expect((await send(`${mock.url}/thread`, 'POST')).status).toBe(200);
    await mock.close();
    expect(nock.isActive()).toBe(false);
    nock.activate();
  });

  it("close() removes the mock's interceptors: its origin is refused afterwards, and close is idempotent", async () => {
    const mock = await openMock();
    const other = await openMock({ baseUrl: 'http://nexus-keep.mock.local' });
    await mock.close();
    await mock.close();
    const after = await failureOf(fetch(`${mock.url}/thread`, { method: 'POST' }));
    // Refused by nock either way: no interceptor matches (nock keeps the emptied host), never sent.
    expect(after.codes).toEqual(['ERR_NOCK_NO_MATCH']);
    expect((await send(`${other.url}/thread`, 'POST')).status).toBe(200);
  });

  it('a second open mock on the same origin is refused with a UsageError naming the origin', async () => {
    await openMock();
    const refused = await createNockMock().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUsageError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(
      /http:\/\/nexus\.mock\.local is already served by another open nock mock/,
    );
  });

  it('a baseUrl that is not an http(s) URL of a host is refused with a UsageError naming it, and holds nothing', async () => {
    for (const baseUrl of [
      'nexus.mock.local',
      'ftp://nexus.mock.local',
      'http://u:p@nexus.mock.local',
      'http://nexus.mock.local/?x=1',
    ]) {
      const refused = await createNockMock({ baseUrl }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isUsageError(refused), baseUrl).toBe(true);
      expect((refused as Error).message).toContain(
        `baseUrl ${JSON.stringify(baseUrl.replace(/\/+$/, ''))} is not an http(s) URL`,
      );
    }
    // Nothing was taken: the default origin is free.
    expect((await send(`${(await openMock()).url}/thread`, 'POST')).status).toBe(200);
  });

  it('NOCK_OFF=true (nock sends everything to the network) is refused with a UsageError', async () => {
    const before = process.env.NOCK_OFF;
    process.env.NOCK_OFF = 'true';
    try {
      const refused = await createNockMock().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isUsageError(refused)).toBe(true);
      expect((refused as Error).message).toMatch(/NOCK_OFF=true turns nock off/);
    } finally {
      if (before === undefined) delete process.env.NOCK_OFF;
      else process.env.NOCK_OFF = before;
    }
  });
});

describe('serving', () => {
  it('node:http clients get the same answers as fetch: JSON, X-RateLimit-* and the 429 with Retry-After', async () => {
    const mock = await openMock({ config: { limits: { perMinute: { limit: 1 } } } });
    const created = await viaHttp(`${mock.url}/thread`, 'POST', '{"message":"What is 2+2?"}');
    expect(created.status, created.text).toBe(200);
    expect(JSON.parse(created.text)).toMatchObject({ id: expect.any(String) });
    expect(created.headers['x-ratelimit-limit']).toBe('1');
    const limited = await viaHttp(`${mock.url}/thread`, 'POST', '{}');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.text)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('a malformed JSON body gets the 400 (nock would otherwise parse it itself and throw)', async () => {
    const mock = await openMock();
    const res = await send(`${mock.url}/thread`, 'POST', {
      raw: '{"message": ',
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400);
    const viaNode = await viaHttp(`${mock.url}/thread`, 'POST', '{bad');
    expect(viaNode.status).toBe(400);
  });

  it('a body that is not UTF-8 reaches the simulator as bytes (nock hands it over as hex) and is decoded as the other faces decode it', async () => {
    const mock = await openMock();
    const id = (await send(`${mock.url}/thread`, 'POST')).json as { id: string };
    const bytes = Buffer.concat([Buffer.from('{"content":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const res = await fetch(`${mock.url}/thread/${id.id}/messages`, {
      method: 'POST',
      headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const list = (await send(`${mock.url}/thread/${id.id}/messages`, 'GET')).json as { content: string }[];
    expect(list.at(-1)!.content).toBe('caf\ufffd');
  });

  it('a HEAD gets its 405 without a body, as on a socket; a method fetch cannot send otherwise is refused by nock', async () => {
    const mock = await openMock();
    const head = await fetch(`${mock.url}/thread`, { method: 'HEAD', headers: { 'api-key': API_KEY } });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
    expect(await head.text()).toBe('');
    const odd = await failureOf(fetch(`${mock.url}/thread`, { method: 'PROPFIND' }));
    expect(odd.codes).toEqual(['ERR_NOCK_NO_MATCH']);
  });

  it('honours a base URL with a path prefix; the admin API lives under it too', async () => {
    const mock = await openMock({ baseUrl: 'http://gateway.mock.local/nexus/' });
    expect(mock.url).toBe('http://gateway.mock.local/nexus/api/public');
    expect(mock.origin).toBe('http://gateway.mock.local/nexus');
    expect((await send(`${mock.url}/thread`, 'POST')).status).toBe(200);
    expect((await send(`${mock.origin}/__admin/health`, 'GET', { key: null })).status).toBe(200);
    const outside = await failureOf(
      fetch('http://gateway.mock.local/other/api/public/thread', { method: 'POST' }),
    );
    expect((outside.error as Error).message).toMatch(/No match for request/);
  });

  it('close() ends a stalled request the way a closed connection would (TypeError, cause ECONNRESET)', async () => {
    const mock = await openMock({ config: { faults: [{ type: 'stall' }] } });
    const stalled = failureOf(
      fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': API_KEY } }),
    );
    // Wait (bounded) until the simulator has seen it, so the close ends a pending reply.
    for (let i = 0; i < 200 && mock.simulator.ledger().requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(mock.simulator.ledger().requests).toHaveLength(1);
    await mock.close();
    const { error, codes } = await stalled;
    expect(error).toBeInstanceOf(TypeError);
    expect(codes).toContain('ECONNRESET');
  });

  it("a reset fault reaches the harness's client as the same network error as on a real socket", async () => {
    const mock = await openMock({
      config: { limits: false, faults: [{ type: 'reset', route: 'createThread' }] },
    });
    const client = createNexusClient({
      baseUrl: mock.url,
      apiKey: API_KEY,
      transport: 'fetch',
      rateLimit: false,
      retry: { maxAttempts: 1 },
    });
    try {
      const { error } = await failureOf(client.createSession());
      expect(error).toMatchObject({ code: 'NH_CLIENT_NETWORK', errno: 'ECONNRESET' });
    } finally {
      await client.close();
    }
  });
});

describe('loading nock', () => {
  it('a missing nock is a UsageError that says how to install it; any other import failure is passed on', async () => {
    const missing = Object.assign(new Error("Cannot find package 'nock' imported from /app/x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const refused = await loadNock(() => Promise.reject(missing)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUsageError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/'nock' is not installed.*npm install --save-dev nock@\^14/);
    expect((refused as Error).cause).toBe(missing);
    const broken = new SyntaxError('Unexpected token');
    await expect(loadNock(() => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('takes the CommonJS export whether the import gives it as the default or as the namespace', async () => {
    expect(await loadNock(async () => ({ default: nock }))).toBe(nock);
    expect(await loadNock(async () => nock)).toBe(nock);
  });
});
