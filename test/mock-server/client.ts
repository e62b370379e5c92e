/** A small fetch wrapper for the mock-server suites: one call, the whole response read. */
import { expect } from 'vitest';
import type { LedgerSnapshot } from '../../mock-server/core/types.js';
import type { FaceInstance } from './faces.js';

export const API_KEY = 'nexus-mock-key';
/** 2026-01-01T00:00:00Z: a whole hour, so rate windows start exactly at the clock's start. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const T0_SEC = T0 / 1000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  json: unknown;
}

export interface CallOptions {
  /** Serialised as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent as is (no content type added unless given in `headers`). */
  raw?: string;
  /** The api key to send; `null` for none. Default {@link API_KEY}. */
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function send(url: string, method: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? API_KEY : options.key;
  if (key !== null) headers['api-key'] = key;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  Object.assign(headers, options.headers);
  const res = await fetch(url, { method, headers, body, signal: options.signal });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The API, bound to one running face. */
export function client(inst: FaceInstance) {
  const api = (method: string, path: string, options?: CallOptions) =>
    send(`${inst.url}${path}`, method, options);
  const admin = async (method: string, path: string, body?: unknown): Promise<Reply> =>
    send(`${inst.origin}/__admin${path}`, method, { key: null, body });
  return {
    api,
    admin,
    async createThread(message?: string): Promise<string> {
      const res = await api('POST', '/thread', message === undefined ? {} : { body: { message } });
      expect(res.status, res.text).toBe(200);
      return (res.json as { id: string }).id;
    },
    async ledger(since = 0): Promise<LedgerSnapshot> {
      const res = await admin('GET', `/ledger?since=${since}`);
      expect(res.status, res.text).toBe(200);
      return res.json as LedgerSnapshot;
    },
    async seedThread(spec: Record<string, unknown>): Promise<{ id: string; status: string }> {
      const res = await admin('POST', '/threads', spec);
      expect(res.status, res.text).toBe(200);
      return res.json as { id: string; status: string };
    },
  };
}
export type Client = ReturnType<typeof client>;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Asserts the status and the API's error body `{ statusCode, message, error }`, exactly. */
export function expectError(res: Reply, status: number, message?: RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.json).toEqual({ statusCode: status, message: expect.any(String), error: REASONS[status] });
  const text = (res.json as { message: string }).message;
  expect(text.length).toBeGreaterThan(0);
  if (message) expect(text).toMatch(message);
}

/** The three `X-RateLimit-*` headers as numbers (asserting each is an integer). */
export function rateHeaders(res: Reply): { limit: number; remaining: number; reset: number } {
  const read = (name: string) => {
    const value = res.headers.get(name);
    expect(value, `${name} on a ${res.status}`).toMatch(/^\d+$/);
    return Number(value);
  };
  return {
    limit: read('x-ratelimit-limit'),
    remaining: read('x-ratelimit-remaining'),
    reset: read('x-ratelimit-reset'),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; bounded by n. */
export async function runPool<T>(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return results;
}
