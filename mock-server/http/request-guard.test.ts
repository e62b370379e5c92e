import { describe, expect, it } from 'vitest';
import { guardRequest } from './request-guard.js';

const LOOPBACK = { port: 4010, loopbackOnly: true } as const;

describe('guardRequest', () => {
  it('refuses a foreign or malformed Host on any route when bound to loopback', () => {
    for (const host of [
      'attacker.example',
      'attacker.example:4010',
      '127.0.0.1:4011',
      'a b',
      '127.0.0.1:',
      '[::1',
    ]) {
      expect(guardRequest('/api/public/thread', { host }, LOOPBACK)?.status, host).toBe(403);
    }
    for (const host of ['127.0.0.1:4010', 'localhost', '[::1]:4010']) {
      expect(guardRequest('/api/public/thread', { host }, LOOPBACK), host).toBeNull();
    }
    expect(guardRequest('/api/public/thread', {}, LOOPBACK)).toBeNull(); // HTTP/1.0, no Host
  });

  it('remembers accepted Host values per policy, never a refused one, and another port is its own policy', () => {
    const policy = { port: 4020, loopbackOnly: true };
    // Accepted many times over, in many spellings (more than it remembers): still accepted.
    const spellings = Array.from(
      { length: 40 },
      (_, i) => `localhost`.replace(/./g, (c, at) => ((i >> at) & 1 ? c.toUpperCase() : c)) + ':4020',
    );
    for (let round = 0; round < 3; round++)
      for (const host of spellings)
        expect(guardRequest('/api/public/thread', { host }, policy), host).toBeNull();
    // A refused value stays refused however often it comes, before and after accepted ones.
    for (let i = 0; i < 3; i++) {
      expect(guardRequest('/api/public/thread', { host: 'attacker.example:4020' }, policy)?.status).toBe(403);
      expect(guardRequest('/api/public/thread', { host: '127.0.0.1:4020' }, policy)).toBeNull();
    }
    // What one policy accepted says nothing for another port.
    expect(
      guardRequest('/api/public/thread', { host: '127.0.0.1:4020' }, { port: 4021, loopbackOnly: true })
        ?.status,
    ).toBe(403);
  });

  it('bound elsewhere on purpose, takes any Host and only its own origin on the admin API', () => {
    const remote = { port: 4010, loopbackOnly: false, adminToken: 't' };
    const headers = { host: 'mock.lan:4010', 'x-admin-token': 't' };
    expect(guardRequest('/__admin/ledger', headers, remote)).toBeNull();
    expect(
      guardRequest('/__admin/ledger', { ...headers, origin: 'http://mock.lan:4010' }, remote),
    ).toBeNull();
    expect(
      guardRequest('/__admin/ledger', { ...headers, origin: 'http://other.lan:4010' }, remote)?.status,
    ).toBe(403);
  });

  it('refuses cross-origin browser requests on the admin API only', () => {
    const host = '127.0.0.1:4010';
    expect(guardRequest('/__admin/reset', { host, origin: 'http://127.0.0.1:4010' }, LOOPBACK)).toBeNull();
    expect(guardRequest('/__admin/reset', { host, origin: 'http://localhost' }, LOOPBACK)?.status).toBe(403); // port 80
    expect(guardRequest('/__admin/reset', { host, origin: 'https://127.0.0.1:4010' }, LOOPBACK)?.status).toBe(
      403,
    );
    expect(guardRequest('/__admin/reset', { host, 'sec-fetch-site': 'cross-site' }, LOOPBACK)?.status).toBe(
      403,
    );
    expect(guardRequest('/__admin/reset', { host, 'sec-fetch-site': 'none' }, LOOPBACK)).toBeNull();
    expect(guardRequest('/api/public/thread', { host, 'sec-fetch-site': 'cross-site' }, LOOPBACK)).toBeNull();
  });

  it('with a token, wants it on every admin route but health, and never on public ones', () => {
    const policy = { ...LOOPBACK, adminToken: 'sekrit' };
    const host = '127.0.0.1';
    expect(guardRequest('/__admin/reset', { host }, policy)).toMatchObject({ status: 401 });
    expect(guardRequest('/__admin/reset', { host, 'x-admin-token': 'sekri' }, policy)).toMatchObject({
      status: 401,
    });
    expect(guardRequest('/__admin/reset', { host, 'x-admin-token': 'sekrit' }, policy)).toBeNull();
    expect(guardRequest('/__admin/health', { host }, policy)).toBeNull();
    expect(guardRequest('/api/public/thread', { host }, policy)).toBeNull();
    expect(
      JSON.stringify(guardRequest('/__admin/reset', { host, 'x-admin-token': 'x' }, policy)),
    ).not.toContain('sekrit');
  });
});
