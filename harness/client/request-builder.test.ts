import { describe, expect, it } from 'vitest';
import { createRequestBuilder } from './request-builder.js';

const requests = createRequestBuilder({ apiKey: 'k', basePath: '/api/public', maxMessageLength: 4_000 });

describe('headersFor', () => {
  it('gives every combination of method, idempotency key and op id its headers, in one order', () => {
    const get = requests.headersFor('GET', undefined, undefined);
    const post = requests.headersFor('POST', undefined, undefined);
    expect(Object.entries(get)).toEqual([
      ['api-key', 'k'],
      ['accept', 'application/json'],
    ]);
    expect(Object.entries(post)).toEqual([...Object.entries(get), ['content-type', 'application/json']]);
    expect(Object.entries(requests.headersFor('GET', undefined, 'op-1'))).toEqual([
      ...Object.entries(get),
      ['x-harness-op', 'op-1'],
    ]);
    expect(Object.entries(requests.headersFor('POST', 'idem-1', 'op-2'))).toEqual([
      ...Object.entries(post),
      ['idempotency-key', 'idem-1'],
      ['x-harness-op', 'op-2'],
    ]);
    expect(requests.headersFor('POST', 'idem-1', undefined)).toEqual({
      ...post,
      'idempotency-key': 'idem-1',
    });
  });

  it('hands out a fresh object per call with an op id, so one call cannot change another’s headers', () => {
    const a = requests.headersFor('GET', undefined, 'a');
    const b = requests.headersFor('GET', undefined, 'b');
    expect(a).not.toBe(b);
    expect(a['x-harness-op']).toBe('a');
  });
});

describe('threadPath', () => {
  it('encodes an id once and gives the same path every time, past the cache bound too', () => {
    const builder = createRequestBuilder({ apiKey: 'k', basePath: '/api/public', maxMessageLength: 10 });
    expect(builder.threadPath('a b/c', 'get a session')).toBe('/api/public/thread/a%20b%2Fc');
    expect(builder.threadPath('a b/c', 'get a session')).toBe('/api/public/thread/a%20b%2Fc');
    // More ids than the cache keeps: every one still maps to its own encoding.
    for (let i = 0; i < 3_000; i++) {
      expect(builder.threadPath(`t ${i}`, 'get a session')).toBe(`/api/public/thread/t%20${i}`);
    }
    expect(builder.threadPath('a b/c', 'get a session')).toBe('/api/public/thread/a%20b%2Fc');
  });

  it('still refuses an id that is not a non-empty string of at most 200 characters', () => {
    expect(() => requests.threadPath('', 'get a session')).toThrow(/thread id must be a non-empty string/);
    expect(() => requests.threadPath('x'.repeat(201), 'get a session')).toThrow(/at most 200/);
    expect(() => requests.threadPath(7 as unknown as string, 'get a session')).toThrow(/non-empty string/);
  });
});
