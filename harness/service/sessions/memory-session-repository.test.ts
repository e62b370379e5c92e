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

  it('forgets the least recently used user beyond maxUsers', async () => {
    const repo = createMemorySessionRepository({ maxUsers: 1 });
    await repo.set('u1', 's1');
    await repo.set('u2', 's2');
    expect(await repo.get('u1')).toBeNull();
    expect(await repo.get('u2')).toBe('s2');
  });
});
