/**
 * The exported k6 scripts' code, run in Node: k6's modules replaced by stubs (a synchronous
 * in-memory Nexus API behind `http.get`/`http.post`, recording metrics), so the workload's
 * logic — sessions, polls, replies, 429 retries, op tags, failures — is checked where no k6
 * can be installed. It does not prove k6 accepts the script: `node --check` and the golden
 * files cover its syntax, a real k6 at acceptance the rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportK6Script } from '../../../harness/runners/k6/index.js';
import { BUILTIN_SCENARIOS } from '../../../scenarios/builtin/index.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'nh-k6-runtime-'));
/** A module is evaluated once per URL: each run imports its VUs under URLs of its own. */
let runs = 0;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Sample {
  metric: string;
  value: number | boolean;
  tags: Record<string, string>;
}
interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
}
interface K6Stubs {
  samples: Sample[];
  requests: Request[];
  sleeps: number[];
  api(
    method: string,
    url: string,
    body: string | null,
  ): { status: number; body: string; headers: Record<string, string> };
}

const BASE = 'http://127.0.0.1:9/api/public';

/** A synchronous stand-in of the Nexus API: every 7th request is a 429 (Retry-After: 1). */
function fakeApi(): K6Stubs['api'] {
  const threads = new Map<string, { id: string; type: string }[]>();
  let n = 0;
  let ids = 0;
  return (method, url, body) => {
    n++;
    if (n % 7 === 0) return { status: 429, body: '{}', headers: { 'Retry-After': '1' } };
    const u = new URL(url);
    const path = u.pathname.slice(new URL(BASE).pathname.length);
    const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value), headers: {} });
    if (method === 'POST' && path === '/thread') {
      const id = `t${++ids}`;
      threads.set(id, []);
      return json(200, { id, createdAt: 'now' });
    }
    const m = /^\/thread\/([^/]+)(\/messages)?$/.exec(path);
    const thread = m ? threads.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !thread) return json(404, { statusCode: 404 });
    if (!m[2]) return method === 'GET' ? json(200, { id: m[1] }) : json(405, {});
    if (method === 'POST') {
      const content = (JSON.parse(body ?? '{}') as { content?: unknown }).content;
      if (typeof content !== 'string' || content.length === 0) return json(400, {});
      thread.push({ id: `m${++ids}`, type: 'user' }, { id: `m${++ids}`, type: 'assistant' });
      return json(200, { success: true });
    }
    const limit = Number(u.searchParams.get('limit') ?? 20);
    let list = u.searchParams.get('order') === 'desc' ? [...thread].reverse() : thread;
    const after = u.searchParams.get('after');
    if (after !== null) list = list.slice(list.findIndex((x) => x.id === after) + 1);
    return json(200, list.slice(0, limit));
  };
}

/** The script as a Node module whose k6 imports read `globalThis.__k6`. */
function stubbed(script: string): string {
  return `const K = globalThis.__k6;
globalThis.__ENV = { NEXUS_BASE_URL: ${JSON.stringify(BASE)}, NEXUS_API_KEY: 'sk-test' };
function respond(method, url, body, params) {
  K.requests.push({ method, url, headers: params.headers, tags: params.tags });
  const r = K.api(method, url, body);
  return { status: r.status, headers: r.headers, body: r.body, json(sel) { const v = JSON.parse(r.body); return sel ? v[sel] : v; } };
}
const http = { setResponseCallback() {}, expectedStatuses() {}, get: (u, p) => respond('GET', u, null, p), post: (u, b, p) => respond('POST', u, b, p) };
const sleep = (s) => K.sleeps.push(s);
class Metric { constructor(name) { this.name = name; } add(value, tags) { K.samples.push({ metric: this.name, value, tags: tags || {} }); } }
const Counter = Metric, Rate = Metric, Trend = Metric;
${script.replace(/^import .*$/gm, '')}`;
}

/** Runs `iterations` iterations on each of `vus` VUs (a fresh module per VU, as k6 has). */
async function runScript(name: string, vus: number, iterations: number): Promise<K6Stubs> {
  runs++;
  const stubs: K6Stubs = { samples: [], requests: [], sleeps: [], api: fakeApi() };
  (globalThis as { __k6?: K6Stubs }).__k6 = stubs;
  const file = join(tmp, `${name}.mjs`);
  writeFileSync(file, stubbed(exportK6Script(validateScenario(BUILTIN_SCENARIOS[name]))));
  for (let vu = 1; vu <= vus; vu++) {
    const mod = (await import(`${pathToFileURL(file).href}?run=${runs}&vu=${vu}`)) as { default: () => void };
    for (let i = 0; i < iterations; i++) mod.default();
  }
  return stubs;
}

const CLIENT_OPS = ['create_session', 'get_session', 'send_message', 'list_messages', 'wait_for_reply'];

describe('exported k6 scripts, run on stubs', () => {
  it.each(['smoke', 'steady', 'conversation', 'rate-limit-storm'])(
    '%s: every op succeeds through 429s, tagged as our runs tag them',
    async (name) => {
      const { samples, requests, sleeps } = await runScript(name, 2, 60);
      const ops = samples.filter((s) => s.metric === 'ops');
      expect(ops).toHaveLength(120);
      const failed = samples.filter((s) => s.metric === 'op_failed');
      expect(
        failed.filter((s) => s.value === true),
        'failed ops',
      ).toEqual([]);
      const mix = Object.keys(validateScenario(BUILTIN_SCENARIOS[name]).workload!.mix);
      const opTags = new Set(ops.map((s) => s.tags.op));
      expect(opTags.size).toBeGreaterThan(0);
      expect(opTags.size).toBeLessThanOrEqual(mix.length);
      for (const r of requests) {
        expect(r.url.startsWith(BASE)).toBe(true);
        expect(r.headers['api-key']).toBe('sk-test');
        expect(CLIENT_OPS).toContain(r.tags.op);
        expect(r.tags.name).toMatch(/^(GET|POST) \/thread/);
      }
      // Every 7th request was a 429: counted by op, and retried after its Retry-After.
      const limited = samples.filter((s) => s.metric === 'rate_limited');
      expect(limited.length).toBe(Math.floor(requests.length / 7));
      expect(sleeps.filter((s) => s === 1).length).toBeGreaterThanOrEqual(limited.length);
      for (const s of samples.filter((x) => x.metric === 'op_duration'))
        expect(s.value).toBeGreaterThanOrEqual(0);
    },
  );

  it('conversation: records reply_latency once per turn', async () => {
    const { samples } = await runScript('conversation', 1, 4);
    expect(samples.filter((s) => s.metric === 'reply_latency')).toHaveLength(4 * 3);
  });
});
