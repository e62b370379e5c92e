import { describe, expect, it, vi } from 'vitest';
import type { NexusClient } from '../client/api.js';
import { NexusApiError, RateLimitedError } from '../client/errors.js';
import type { Session } from '../client/models.js';
import { isServiceError, isUserLimitError } from './service-errors.js';
import { createSessionService } from './session-service.js';
import {
  CACHE_TTL_MS,
  type EventBus,
  type LimitDecision,
  type ServiceCache,
  type ServiceEventName,
  type SessionRepository,
  type UserRateLimits,
} from './types.js';

// Small fakes of the seams: the real stores, bus and limits are tested on their own.

const ALLOWED: LimitDecision = { allowed: true, refusedBy: null, remaining: 9, resetMs: 60_000 };

function session(id: string, status: Session['status']): Session {
  return {
    id,
    topic: null,
    status,
    createdAt: '2025-01-01T00:00:00.000Z',
    lastMessageAt: null,
    messageCount: 0,
    metadata: {},
  };
}

function fakeClient() {
  return {
    createSession: vi.fn(async () => ({ id: 'new-123', createdAt: '2025-01-01T00:00:00.000Z' })),
    getSession: vi.fn(async (id: string) => session(id, 'ACTIVE')),
    sendMessage: vi.fn(async () => ({ success: true as const })),
    listMessages: vi.fn(async () => [
      { id: 'm-1', type: 'user' as const, content: 'Hello', createdAt: '2025-01-01T00:00:01.000Z' },
    ]),
    waitForReply: vi.fn(async () => ({
      id: 'm-2',
      type: 'assistant' as const,
      content: 'Hi!',
      createdAt: '2025-01-01T00:00:02.000Z',
    })),
  };
}

function parts(client = fakeClient()) {
  const cacheData = new Map<string, unknown>();
  const cache = {
    // `as never`: the fake holds whatever the service stored, for any T the service asks.
    get: vi.fn(async (key: string) => cacheData.get(key) as never),
    set: vi.fn(async (key: string, value: unknown) => void cacheData.set(key, value)),
    delete: vi.fn(async (key: string) => void cacheData.delete(key)),
    invalidate: vi.fn(async () => 0),
    warm: vi.fn(async () => {}),
    stats: () => ({ hits: 0, misses: 0 }),
    close: async () => {},
  } satisfies ServiceCache;
  const kept = new Map<string, string>();
  const sessions: SessionRepository = {
    get: async (userId) => kept.get(userId) ?? null,
    set: async (userId, id) => void kept.set(userId, id),
    delete: async (userId) => void kept.delete(userId),
    close: async () => {},
  };
  const limits = {
    consumeMessage: vi.fn(async (): Promise<LimitDecision> => ALLOWED),
    consumeSession: vi.fn(async (): Promise<LimitDecision> => ALLOWED),
    close: async () => {},
  } satisfies UserRateLimits;
  const emitted: { event: ServiceEventName; payload: unknown }[] = [];
  const events: EventBus = {
    on: () => () => {},
    emit: (event, payload) => void emitted.push({ event, payload }),
    counts: () => ({ 'message:received': 0, 'response:generated': 0, 'error:occurred': 0 }),
  };
  const logged: unknown[][] = [];
  const logger = { error: (...a: unknown[]) => logged.push(a), warn: () => {}, info: () => {} };
  const service = createSessionService({
    clients: { current: () => client as unknown as NexusClient },
    sessions,
    cache,
    limits,
    events,
    logger,
  });
  return { service, client, cache, cacheData, kept, limits, emitted, logged };
}

describe('session service: startConversation (the guide unit cases)', () => {
  it('returns a cached valid session without a create call', async () => {
    const p = parts();
    p.cacheData.set('session:user-123', 'cached-123');
    const conv = await p.service.startConversation('user-123');
    expect(conv).toEqual({ sessionId: 'cached-123', reusedSession: true });
    expect(p.client.getSession).toHaveBeenCalledWith('cached-123', expect.anything());
    expect(p.client.createSession).not.toHaveBeenCalled();
    expect(p.limits.consumeSession).not.toHaveBeenCalled();
  });

  it('creates a session on a cache miss and caches it with the session TTL', async () => {
    const p = parts();
    const conv = await p.service.startConversation('user-123');
    expect(conv).toEqual({ sessionId: 'new-123', reusedSession: false });
    expect(p.client.createSession).toHaveBeenCalledTimes(1);
    expect(p.cache.set).toHaveBeenCalledWith('session:user-123', 'new-123', CACHE_TTL_MS.session);
    expect(p.kept.get('user-123')).toBe('new-123');
    expect(p.limits.consumeSession).toHaveBeenCalledTimes(1);
  });

  it('replaces an EXPIRED session (and a forgotten one, 404)', async () => {
    const p = parts();
    p.cacheData.set('session:u1', 'old-1');
    p.client.getSession.mockResolvedValueOnce(session('old-1', 'EXPIRED'));
    expect(await p.service.startConversation('u1')).toEqual({ sessionId: 'new-123', reusedSession: false });
    expect(p.cacheData.get('session:u1')).toBe('new-123');

    p.cacheData.set('session:u2', 'gone-2');
    p.client.getSession.mockRejectedValueOnce(new NexusApiError('GET /thread/{id}', 404, {}));
    expect(await p.service.startConversation('u2')).toEqual({ sessionId: 'new-123', reusedSession: false });
  });

  it('reuses the repository session when the cache forgot it, and caches it again', async () => {
    const p = parts();
    p.kept.set('u1', 'kept-1');
    expect(await p.service.startConversation('u1')).toEqual({ sessionId: 'kept-1', reusedSession: true });
    expect(p.cache.set).toHaveBeenCalledWith('session:u1', 'kept-1', CACHE_TTL_MS.session);
  });

  it('does not replace the session on a transient failure (a 503 says nothing about it)', async () => {
    const p = parts();
    p.cacheData.set('session:u1', 'kept-1');
    p.client.getSession.mockRejectedValueOnce(new NexusApiError('GET /thread/{id}', 503, {}));
    const err = await p.service.startConversation('u1').catch((e: unknown) => e);
    expect(isServiceError(err) && err.action === 'startConversation' && err.userId === 'u1').toBe(true);
    expect(p.client.createSession).not.toHaveBeenCalled();
  });

  it('shares one lookup between concurrent first calls of one user', async () => {
    const p = parts();
    await Promise.all([p.service.startConversation('u1'), p.service.startConversation('u1')]);
    expect(p.client.createSession).toHaveBeenCalledTimes(1);
  });
});

describe('session service: limits, errors, events', () => {
  it('refuses over a user limit with the decision, sending nothing and logging no error', async () => {
    const p = parts();
    const refused: LimitDecision = {
      allowed: false,
      refusedBy: 'messagesPerMinute',
      remaining: 0,
      resetMs: 1_500,
    };
    p.limits.consumeMessage.mockResolvedValueOnce(refused);
    const err = await p.service.sendMessage('u1', 'Hello').catch((e: unknown) => e);
    expect(isUserLimitError(err) && err.decision === refused && err.retryAfterMs === 1_500).toBe(true);
    expect(p.client.getSession).not.toHaveBeenCalled();
    expect(p.client.sendMessage).not.toHaveBeenCalled();
    expect(p.logged).toHaveLength(0);
  });

  it('refuses a new session over sessionsPerDay', async () => {
    const p = parts();
    p.limits.consumeSession.mockResolvedValueOnce({
      allowed: false,
      refusedBy: 'sessionsPerDay',
      remaining: 0,
      resetMs: 10_000,
    });
    const err = await p.service.chat('u1', 'Hello').catch((e: unknown) => e);
    expect(isUserLimitError(err) && err.limit === 'sessionsPerDay').toBe(true);
    expect(p.client.createSession).not.toHaveBeenCalled();
  });

  it('wraps a client failure once: one log line, one error event, the cause kept', async () => {
    const p = parts();
    const cause = new RateLimitedError('POST /thread/{id}/messages', Date.now() + 2_000, 429, 'test');
    p.client.sendMessage.mockRejectedValueOnce(cause);
    const err = await p.service.chat('u1', 'Hello').catch((e: unknown) => e);
    expect(isServiceError(err) && err.cause === cause && err.action === 'chat').toBe(true);
    expect(p.logged).toHaveLength(1);
    expect(p.emitted.filter((e) => e.event === 'error:occurred')).toEqual([
      {
        event: 'error:occurred',
        payload: {
          userId: 'u1',
          action: 'chat',
          error: { name: 'RateLimitedError', message: cause.message, code: cause.code },
        },
      },
    ]);
  });

  it('chat waits for the reply after the sent message and emits received, then generated', async () => {
    const p = parts();
    const reply = await p.service.chat('u1', 'Hello', { opId: 'op-1' });
    expect(reply).toMatchObject({ sessionId: 'new-123', reusedSession: false, reply: { id: 'm-2' } });
    expect(p.client.waitForReply).toHaveBeenCalledWith(
      'new-123',
      expect.objectContaining({ after: 'm-1', opId: 'op-1' }),
    );
    expect(p.emitted.map((e) => e.event)).toEqual(['message:received', 'response:generated']);
    expect(p.emitted[0]!.payload).toEqual({ userId: 'u1', sessionId: 'new-123', length: 5, opId: 'op-1' });
  });

  it('sends once more on a fresh session when the kept one ended between check and send (409)', async () => {
    const p = parts();
    p.cacheData.set('session:u1', 'old-1');
    p.client.sendMessage.mockRejectedValueOnce(new NexusApiError('POST /thread/{id}/messages', 409, {}));
    p.client.getSession.mockResolvedValueOnce(session('old-1', 'ACTIVE'));
    p.client.getSession.mockResolvedValueOnce(session('old-1', 'EXPIRED'));
    const conv = await p.service.sendMessage('u1', 'Hello');
    expect(conv.sessionId).toBe('new-123');
    expect(p.client.sendMessage).toHaveBeenCalledTimes(2);
  });
});
