import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { runCli, runCliInProcess } from '../support/cli.js';

/**
 * A secret that reaches a message by a path nobody planned (a threshold key, a URL's query, a
 * wrong-typed field, a flag's echo) is still not printed, stored or served: the CLI's output,
 * the result file and the mock's error answers all pass through the redaction of known secrets.
 */

const marker = () => `nx_live_${randomBytes(20).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'nexus-secret-echoes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const servers: RunningMockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('secrets that reach a message by an unplanned path', () => {
  it('NEXUS_API_KEY in a --threshold key is printed and stored as [redacted]; in a --url query it is refused unseen', async () => {
    const key = marker();
    const mock = await startMockServer({ config: { limits: false, apiKeys: [key] } });
    servers.push(mock);
    const out = join(dir, 'echo');
    const ran = await runCli(
      [
        'run',
        'smoke',
        '--target',
        'url',
        '--url',
        mock.url,
        '--threshold',
        `op_failed{op:${key}}=rate<1`,
        '--duration',
        '1s',
        '--out',
        out,
      ],
      { env: { NEXUS_API_KEY: key } },
    );
    expect(ran.stdout).toContain('[redacted]');
    expect(ran.stdout + ran.stderr).not.toContain(key);
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(key);
    JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')); // still valid JSON
    // A query is no part of a base URL: refused before anything is sent, and not echoed.
    const query = await runCliInProcess(
      ['run', 'smoke', '--target', 'url', '--url', `${mock.url}?k=${key}`, '--no-out'],
      {
        env: { NEXUS_API_KEY: key },
      },
    );
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('has a query or fragment');
    expect(query.stdout + query.stderr).not.toContain(key);
  });

  it('a wrong-typed mock.apiKeys is reported without its value', async () => {
    const key = marker();
    const file = join(dir, 'typed.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 's',
        executors: { m: { executor: 'constant-vus', vus: 1, duration: '1s' } },
        mock: { apiKeys: key },
      }),
    );
    const ran = await runCliInProcess(['validate', file]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/mock\.apiKeys: .*value not shown: it may be a key/);
    expect(ran.stdout + ran.stderr).not.toContain(key);
  });

  it('mock --api-key K never echoes K, even from an unrelated flag', async () => {
    const key = marker();
    const ran = await runCliInProcess(['mock', '--api-key', key, '--host', key]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('[redacted]');
    expect(ran.stdout + ran.stderr).not.toContain(key);
  });

  it("the mock's admin error answers show configured keys as fingerprints", async () => {
    const key = marker();
    const mock = await startMockServer({ config: { apiKeys: [key] } });
    servers.push(mock);
    const res = await fetch(`${mock.origin}/__admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [key]: 1, seed: key }),
    });
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).not.toContain(key);
    expect(body).toMatch(/k_[0-9a-f]{12}/);
  });

  it('admin bodies need the JSON media type itself, not a substring of it (415)', async () => {
    const mock = await startMockServer({ config: {} });
    servers.push(mock);
    for (const type of [
      'text/plain; x=application/json',
      'text/plain;application/json',
      'application/jsonx',
    ]) {
      const res = await fetch(`${mock.origin}/__admin/reset`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"seed":6}',
      });
      expect(res.status, type).toBe(415);
      await res.body?.cancel();
    }
    const plainEmpty = await fetch(`${mock.origin}/__admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plainEmpty.status).toBe(415);
    const ok = await fetch(`${mock.origin}/__admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"seed":6}',
    });
    expect(ok.status).toBe(200);
  });
});
