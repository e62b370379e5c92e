/**
 * The HTTP face screens requests before the simulator sees them: only loopback names in
 * `Host` (DNS rebinding), no cross-origin browser requests on the admin API (CSRF), an
 * optional admin token (required off loopback), and JSON for every refusal — including
 * node's own 417 for an unsupported `Expect`.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_HEADER } from '../../mock-server/core/admin-token.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY } from './client.js';

interface Raw {
  status: number;
  json: unknown;
  text: string;
}

/** One request with any headers (`Host` included), on its own connection. */
function http(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.setTimeout(5_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function expectRefusal(res: Raw, status: number, message: RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toEqual({
    statusCode: status,
    message: expect.stringMatching(message),
    error: status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : 'Expectation Failed',
  });
}

let mock: RunningMockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('HTTP face: Host and Origin', () => {
  it('refuses a cross-origin text/plain POST /__admin/reset from attacker.example, and the state survives', async () => {
    mock = await startMockServer({ config: { limits: false } });
    const own = `127.0.0.1:${mock.port}`;
    expect(
      (await http(mock.port, 'POST', '/api/public/thread', { host: own, 'api-key': API_KEY })).status,
    ).toBe(200);
    const attack = await http(
      mock.port,
      'POST',
      '/__admin/reset',
      {
        host: 'attacker.example',
        origin: 'http://attacker.example',
        'content-type': 'text/plain',
        'sec-fetch-site': 'cross-site',
      },
      '{}',
    );
    expectRefusal(attack, 403, /Host "attacker.example" is not a loopback name/);
    // The same with a rebinding-proof Host but a foreign Origin, or only Sec-Fetch-Site.
    expectRefusal(
      await http(mock.port, 'POST', '/__admin/reset', { host: own, origin: 'http://attacker.example' }),
      403,
      /cross-origin request \(Origin: http:\/\/attacker.example\)/,
    );
    expectRefusal(
      await http(mock.port, 'POST', '/__admin/reset', { host: own, 'sec-fetch-site': 'same-site' }),
      403,
      /Sec-Fetch-Site: same-site/,
    );
    expectRefusal(
      await http(mock.port, 'POST', '/__admin/reset', { host: own, origin: 'null' }),
      403,
      /cross-origin/,
    );
    // A text/plain body is no JSON: refused even from the mock's own origin.
    expect(
      (await http(mock.port, 'POST', '/__admin/reset', { host: own, 'content-type': 'text/plain' }, '{}'))
        .status,
    ).toBe(415);
    expect(mock.simulator.ledger().effects).toHaveLength(1); // never reset
  });

  it('refuses a non-loopback Host on public routes too (DNS rebinding), and a loopback name with another port', async () => {
    mock = await startMockServer({ config: { limits: false } });
    for (const host of [
      'attacker.example',
      `attacker.example:${mock.port}`,
      '127.0.0.1:1',
      '10.0.0.1',
      'localhost.evil',
    ]) {
      const res = await http(mock.port, 'POST', '/api/public/thread', { host, 'api-key': API_KEY });
      expectRefusal(res, 403, /is not a loopback name/);
    }
    expect(mock.simulator.ledger().requests).toHaveLength(0);
  });

  it('serves every loopback name, with the port or none, and same-origin browser requests', async () => {
    mock = await startMockServer({ config: { limits: false } });
    const p = mock.port;
    for (const host of [
      `127.0.0.1:${p}`,
      '127.0.0.1',
      `localhost:${p}`,
      'LOCALHOST',
      `127.4.5.6:${p}`,
      `[::1]:${p}`,
      '[::1]',
    ]) {
      const res = await http(p, 'GET', '/__admin/health', { host });
      expect(res.status, `${host}: ${res.text}`).toBe(200);
    }
    const sameOrigin = await http(p, 'POST', '/__admin/reset', {
      host: `localhost:${p}`,
      origin: `http://localhost:${p}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(sameOrigin.status, sameOrigin.text).toBe(200);
    const typedInBar = await http(p, 'GET', '/__admin/config', {
      host: `127.0.0.1:${p}`,
      'sec-fetch-site': 'none',
    });
    expect(typedInBar.status).toBe(200);
    // A foreign Origin on a public route is left to CORS (the api-key header needs a preflight).
    const publicCall = await http(p, 'POST', '/api/public/thread', {
      host: `127.0.0.1:${p}`,
      origin: 'http://elsewhere.example',
      'api-key': API_KEY,
    });
    expect(publicCall.status).toBe(200);
  });
});

describe('HTTP face: admin token', () => {
  it('with adminToken, admin requests need the header (401 without or wrong); public routes do not', async () => {
    mock = await startMockServer({ config: { limits: false }, adminToken: 'tok-3d9f' });
    const host = `127.0.0.1:${mock.port}`;
    expectRefusal(
      await http(mock.port, 'GET', '/__admin/ledger', { host }),
      401,
      /Missing admin token.*x-admin-token/,
    );
    expectRefusal(
      await http(mock.port, 'GET', '/__admin/ledger', { host, [ADMIN_TOKEN_HEADER]: 'tok-3d9e' }),
      401,
      /Wrong admin token/,
    );
    // Health stays open, so a client can find the mock, then be told the rest needs the token.
    expect((await http(mock.port, 'GET', '/__admin/health', { host })).status).toBe(200);
    expectRefusal(await http(mock.port, 'POST', '/__admin/reset', { host }), 401, /Missing admin token/);
    const ok = await http(mock.port, 'GET', '/__admin/ledger', { host, [ADMIN_TOKEN_HEADER]: 'tok-3d9f' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.text).not.toContain('tok-3d9f');
    expect((await http(mock.port, 'POST', '/api/public/thread', { host, 'api-key': API_KEY })).status).toBe(
      200,
    );
  });

  it('will not bind a non-loopback interface without an admin token', async () => {
    await expect(startMockServer({ host: '0.0.0.0' })).rejects.toThrow(/not a loopback address.*adminToken/);
    await expect(startMockServer({ host: '::' })).rejects.toThrow(/not a loopback address/);
    await expect(startMockServer({ adminToken: '' })).rejects.toThrow(/adminToken is empty/);
  });
});

describe('HTTP face: Expect', () => {
  it('answers an unsupported Expect with a JSON 417, and 100-continue as usual', async () => {
    mock = await startMockServer({ config: { limits: false } });
    const refused = await http(mock.port, 'GET', '/__admin/health', {
      host: `127.0.0.1:${mock.port}`,
      expect: '999',
    });
    expectRefusal(refused, 417, /Unsupported Expect: "999"/);
    const continued = await new Promise<string>((resolve, reject) => {
      const socket = connect(mock!.port, '127.0.0.1');
      let data = '';
      socket.setTimeout(5_000, () => socket.destroy(new Error('timed out')));
      socket.on('data', (d) => {
        data += d;
        if (data.includes('100 Continue') && !data.includes('"id"')) socket.write('{}');
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write(
        `POST /api/public/thread HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${API_KEY}\r\ncontent-type: application/json\r\n` +
          'content-length: 2\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n',
      );
    });
    expect(continued).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
  });
});
