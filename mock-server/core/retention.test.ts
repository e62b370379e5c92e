import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { manualClock } from './clock.js';
import { resolveMockConfig } from './config.js';
import { createSimulator, type Simulator } from './simulator.js';
import type { MessageView, SimRequest, ThreadView } from './types.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const BASE = '/api/public';

function api(sim: Simulator) {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const all: Record<string, string> = { 'api-key': 'nexus-mock-key', ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const [p, query = ''] = path.split('?');
    const req: SimRequest = { method, path: `${BASE}${p}`, query, header: (n) => all[n], body };
    const res = sim.handle(req);
    return { status: res.status, json: JSON.parse(res.body!) as unknown };
  };
  return {
    call,
    create: (idem?: string) => {
      const res = call('POST', '/thread', {}, idem === undefined ? {} : { 'idempotency-key': idem });
      return { ...res, id: (res.json as { id: string }).id };
    },
    send: (id: string, content: string, idem?: string) =>
      call(
        'POST',
        `/thread/${id}/messages`,
        { content },
        idem === undefined ? {} : { 'idempotency-key': idem },
      ).status,
    get: (id: string) => call('GET', `/thread/${id}`),
    list: (id: string, query = '') => {
      const res = call('GET', `/thread/${id}/messages${query === '' ? '' : `?${query}`}`);
      return { status: res.status, messages: res.json as MessageView[] };
    },
  };
}

/** A simulator on a manual clock with replies after exactly 1 s. */
function sim(config: Record<string, unknown>) {
  const clock = manualClock(T0);
  const s = createSimulator(
    { limits: false, assistant: { delay: { type: 'fixed', ms: 1_000 } }, ...config },
    { clock },
  );
  return { sim: s, clock, ...api(s) };
}

describe('retention: messages per thread', () => {
  it('keeps the newest maxMessagesPerThread, reports messageCount exactly, and pages over what is kept', () => {
    const { clock, create, send, get, list } = sim({ retention: { maxMessagesPerThread: 4 } });
    const { id } = create();
    for (let i = 0; i < 5; i++) {
      expect(send(id, `question ${i}`)).toBe(200);
      clock.advance(2_000); // the reply comes due
      expect(list(id, 'order=desc&limit=1').status).toBe(200); // touched: the reply is stored
    }
    const view = get(id).json as ThreadView;
    expect(view).toMatchObject({ messageCount: 10, status: 'ACTIVE', topic: 'question 0' });
    const { messages } = list(id, 'limit=100');
    expect(messages).toHaveLength(4);
    expect(messages.filter((m) => m.type === 'user').map((m) => m.content)).toEqual([
      'question 3',
      'question 4',
    ]);
    expect(messages.at(-1)!.createdAt).toBe(view.lastMessageAt);
  });

  it('answers a cursor on a forgotten message with 200: after it from the oldest kept, before it nothing', () => {
    const { create, send, list } = sim({ retention: { maxMessagesPerThread: 3 } });
    const { id } = create();
    send(id, 'first');
    const firstId = list(id).messages[0]!.id;
    for (let i = 0; i < 5; i++) send(id, `more ${i}`);
    const kept = list(id).messages.map((m) => m.content);
    expect(kept).toEqual(['more 2', 'more 3', 'more 4']);
    const after = list(id, `after=${firstId}&limit=2`);
    expect(after.status).toBe(200);
    expect(after.messages.map((m) => m.content)).toEqual(['more 2', 'more 3']);
    expect(list(id, `before=${firstId}`)).toEqual({ status: 200, messages: [] });
    expect(list(id, `before=${firstId}&order=desc`)).toEqual({ status: 200, messages: [] });
  });

  it('still refuses an unknown cursor with 400 in a thread that has forgotten nothing', () => {
    const { create, send, list } = sim({});
    const { id } = create();
    send(id, 'hello');
    expect(list(id, 'after=no-such-message').status).toBe(400);
  });

  it('keeps counting user messages for messagesPerSession past the cap', () => {
    const { create, send, get } = sim({
      limits: { messagesPerSession: 5, perMinute: { limit: 1_000 }, perHour: { limit: 1_000 } },
      retention: { maxMessagesPerThread: 2 },
    });
    const { id } = create();
    for (let i = 0; i < 5; i++) expect(send(id, `m${i}`)).toBe(200);
    expect(send(id, 'one too many')).toBe(429);
    expect((get(id).json as ThreadView).messageCount).toBe(5);
  });
});

describe('retention: threads', () => {
  it('never keeps more than maxThreads; the least recently used is forgotten and answers 404', () => {
    const { create, get, send, list, call } = sim({ retention: { maxThreads: 3 } });
    const a = create().id;
    const b = create().id;
    const c = create().id;
    expect(get(a).status).toBe(200); // a is now the most recently used
    const d = create().id;
    for (const route of [get(b), call('POST', `/thread/${b}/messages`, { content: 'hi' }), list(b)]) {
      expect(route.status).toBe(404);
    }
    expect(get(b).json).toEqual({ statusCode: 404, message: `Thread ${b} not found`, error: 'Not Found' });
    for (const id of [a, c, d]) expect(get(id).status).toBe(200);
    expect(send(c, 'still here')).toBe(200);
  });

  it('forgets threads seen EXPIRED or CLOSED before any ACTIVE one', () => {
    const { sim: s, clock, create, get } = sim({ retention: { maxThreads: 3 }, sessionTtlMs: 60_000 });
    const old = create().id;
    clock.advance(61_000);
    const fresh = create().id;
    expect((get(old).json as ThreadView).status).toBe('EXPIRED'); // seen ended, and most recently used
    const closed = s.seedThread({ status: 'CLOSED' }).id;
    create();
    expect(get(old).status).toBe(404);
    create();
    expect(get(closed).status).toBe(404);
    expect(get(fresh).status).toBe(200);
  });

  it('drops a forgotten thread from the concurrent-session count', () => {
    const { create } = sim({
      limits: { concurrentSessions: 2, perMinute: { limit: 1_000 }, perHour: { limit: 1_000 } },
      retention: { maxThreads: 1 },
    });
    expect(create().status).toBe(200);
    // Each create forgets the one before: one session is open, never two.
    expect(create().status).toBe(200);
    expect(create().status).toBe(200);
  });

  it('stores the replies already due of a forgotten thread, so the ledger records them', () => {
    const { sim: s, clock, create, send } = sim({ retention: { maxThreads: 1 } });
    const a = create().id;
    send(a, 'hello');
    clock.advance(1_500);
    create();
    const replies = s.ledger().effects.filter((e) => e.kind === 'reply_stored');
    expect(replies).toMatchObject([{ threadId: a }]);
  });

  it('keeps memory flat under per-iteration sessions: thread count bounded over many creates', () => {
    const { sim: s, clock, create, send } = sim({ retention: { maxThreads: 50, maxMessagesPerThread: 4 } });
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const { id } = create();
      ids.push(id);
      send(id, `m${i}`);
      clock.advance(10);
    }
    const alive = ids.filter((id) => api(s).get(id).status === 200);
    expect(alive).toEqual(ids.slice(-50));
  });
});

describe('retention: idempotency keys', () => {
  it('forgets an outcome after idempotencyTtlMs: the repeat is a new request', () => {
    const { clock, create } = sim({ retention: { idempotencyTtlMs: 60_000 } });
    const first = create('key-1');
    expect(create('key-1').id).toBe(first.id);
    clock.advance(60_000);
    expect(create('key-1').id).not.toBe(first.id);
  });

  it('forgets the oldest past maxIdempotencyKeys', () => {
    const { create } = sim({ retention: { maxIdempotencyKeys: 2 } });
    const first = create('a').id;
    create('b');
    create('c');
    expect(create('a').id).not.toBe(first);
  });

  it('still refuses a key reused for another request with 422', () => {
    const { create, send } = sim({});
    const { id } = create();
    expect(send(id, 'one', 'k')).toBe(200);
    expect(send(id, 'one', 'k')).toBe(200);
    expect(send(id, 'two', 'k')).toBe(422);
  });
});

describe('retention configuration', () => {
  it('defaults to 1,000 messages per thread, 10,000 threads, 100,000 idempotency keys for 24 h', () => {
    expect(resolveMockConfig().retention).toEqual({
      maxMessagesPerThread: 1_000,
      maxThreads: 10_000,
      maxIdempotencyKeys: 100_000,
      idempotencyTtlMs: 86_400_000,
    });
    expect(resolveMockConfig({ retention: { maxThreads: 5 } }).retention).toMatchObject({
      maxThreads: 5,
      maxMessagesPerThread: 1_000,
    });
  });

  it('names every bad field with its value', () => {
    let problems: string[] = [];
    try {
      resolveMockConfig({
        retention: { maxMessagesPerThread: 0, maxThreads: 2.5, idempotencyTtlMs: 'long', keepAll: true },
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      expect.stringMatching(/^retention\.maxMessagesPerThread: .*>=1.*\(got 0\)$/),
      expect.stringMatching(/^retention\.maxThreads: .*int.*\(got 2\.5\)$/),
      expect.stringMatching(/^retention\.idempotencyTtlMs: .*number.*\(got "long"\)$/),
      'retention.keepAll: unknown field',
    ]);
  });

  it('is shown by the admin config and taken by reset', () => {
    const { sim: s } = sim({ retention: { maxThreads: 7 } });
    expect(s.config.retention.maxThreads).toBe(7);
    s.reset({ retention: { maxThreads: 8 } });
    expect(s.config.retention.maxThreads).toBe(8);
  });
});
