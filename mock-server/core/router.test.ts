import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';

describe('router', () => {
  const route = createRouter();
  const match = (method: string, path: string) => ({ ...route(method, path) });

  it.each([
    ['POST', '/api/public/thread', 'createThread', ''],
    ['POST', '/api/public/thread/', 'createThread', ''],
    ['GET', '/api/public/thread/abc', 'getThread', 'abc'],
    ['GET', '/api/public/thread/abc/', 'getThread', 'abc'],
    ['POST', '/api/public/thread/abc/messages', 'sendMessage', 'abc'],
    ['GET', '/api/public/thread/abc/messages/', 'listMessages', 'abc'],
  ])('%s %s → %s', (method, path, name, threadId) => {
    expect(match(method, path)).toMatchObject({ kind: 'found', route: name, threadId });
  });

  it.each([
    ['GET', '/api/public/thread', 'POST'],
    ['DELETE', '/api/public/thread/abc', 'GET'],
    ['PUT', '/api/public/thread/abc/messages', 'GET, POST'],
  ])('%s %s → 405 allowing %s', (method, path, allow) => {
    expect(match(method, path)).toMatchObject({ kind: 'method', allow });
  });

  it.each([
    '/',
    '/api/public',
    '/api/publicx/thread',
    '/api/public/threads',
    '/api/public/thread//messages',
    '/api/public/thread/abc/message',
    '/api/public/thread/abc/messages/extra',
    '/thread/abc',
  ])('%s is unknown', (path) => {
    expect(match('GET', path).kind).toBe('none');
  });
});
