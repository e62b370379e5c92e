import { describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../types.js';
import { createMemorySessionRepository } from './memory-session-repository.js';

describe('createMemorySessionRepository', () => {
  it('keeps a session 24 h by default, on the clock given', async () => {
    let now = 0;
    const repo = createMemorySessionRepository({ clock: { now: () => now } });
    await repo.set('u1', 's1');
    now = SESSION_TTL_MS;
    expect(await repo.get('u1')).toBe('s1');
    now = SESSION_TTL_MS + 1;
    expect(await repo.get('u1')).toBeNull();
  });

  it('restarts the TTL when a session is replaced', async () => {
    let now = 0;
    const repo = createMemorySessionRepository({ ttlMs: 100, clock: { now: () => now } });
    await repo.set('u1', 's1');
    now = 80;
    await repo.set('u1', 's2');
    now = 150;
    expect(await repo.get('u1')).toBe('s2');
    now = 181;
    expect(await repo.get('u1')).toBeNull();
  });

  it('refuses a maxUsers that is not a positive integer (lru-cache would take 0 for no bound)', () => {
    expect(() => createMemorySessionRepository({ maxUsers: 0 })).toThrow(
      /in-memory session repository: maxUsers must be a positive integer, got 0/,
    );
  });

  it('forgets the least recently used user beyond maxUsers', async () => {
    const repo = createMemorySessionRepository({ maxUsers: 1 });
    await repo.set('u1', 's1');
    await repo.set('u2', 's2');
    expect(await repo.get('u1')).toBeNull();
    expect(await repo.get('u2')).toBe('s2');
  });
});
