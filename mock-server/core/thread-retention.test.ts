import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendMessage,
  cursorPosition,
  deliverDueReplies,
  newThread,
  retainedMessages,
  type StoredThread,
  scheduleReply,
  selectPage,
  ThreadStore,
  threadView,
} from './thread-store.js';

const TTL = 86_400_000;

function threadWith(count: number, maxMessages: number): StoredThread {
  const thread = newThread('t', 'k', 0, maxMessages);
  for (let i = 0; i < count; i++)
    appendMessage(thread, { id: `m${i}`, type: 'user', content: `c${i}`, createdAtMs: i });
  return thread;
}

const ids = (page: { id: string }[]) => page.map((m) => m.id);

/** The list endpoint's page, resolved as the simulator resolves it. */
function page(
  thread: StoredThread,
  q: { limit?: number; order?: 'asc' | 'desc'; after?: string; before?: string },
) {
  const afterIndex = q.after === undefined ? -1 : cursorPosition(thread, q.after);
  const beforeIndex = q.before === undefined ? thread.messageCount : cursorPosition(thread, q.before);
  if (afterIndex === undefined || beforeIndex === undefined) return 'unknown cursor';
  return ids(selectPage(thread, { limit: q.limit ?? 100, order: q.order ?? 'asc', afterIndex, beforeIndex }));
}

describe('message retention in a thread', () => {
  it('keeps the newest maxMessages, in order, while messageCount counts every message', () => {
    const thread = threadWith(12, 5);
    expect(ids(retainedMessages(thread))).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    expect(thread.ids).toHaveLength(5);
    expect(thread.contents).toHaveLength(5);
    expect(thread.positions.size).toBe(5);
    expect(threadView(thread, 12, TTL)).toMatchObject({
      messageCount: 12,
      topic: 'c0',
      lastMessageAt: new Date(11).toISOString(),
    });
    expect(page(thread, { order: 'desc', limit: 2 })).toEqual(['m11', 'm10']);
    expect(page(thread, {})).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
  });

  it('pages from the oldest kept message after a forgotten cursor, and gives nothing before one', () => {
    const thread = threadWith(12, 5);
    expect(page(thread, { after: 'm2' })).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    expect(page(thread, { after: 'm2', limit: 2 })).toEqual(['m7', 'm8']);
    expect(page(thread, { before: 'm2' })).toEqual([]);
    expect(page(thread, { before: 'm2', order: 'desc' })).toEqual([]);
    expect(page(thread, { after: 'm2', before: 'm9' })).toEqual(['m7', 'm8']);
    // Kept cursors work as before.
    expect(page(thread, { after: 'm9' })).toEqual(['m10', 'm11']);
    expect(page(thread, { before: 'm9', order: 'desc' })).toEqual(['m8', 'm7']);
  });

  it('refuses an unknown cursor while the thread has forgotten nothing, as before', () => {
    const thread = threadWith(5, 5);
    expect(page(thread, { after: 'nope' })).toBe('unknown cursor');
    expect(page(thread, { before: 'nope' })).toBe('unknown cursor');
    appendMessage(thread, { id: 'm5', type: 'user', content: 'c5', createdAtMs: 5 });
    expect(page(thread, { after: 'nope' })).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('keeps the cursor of the newest copy of a duplicated id when the older copy goes', () => {
    const thread = newThread('t', 'k', 0, 2);
    appendMessage(thread, { id: 'dup', type: 'user', content: 'a', createdAtMs: 0 });
    appendMessage(thread, { id: 'x', type: 'user', content: 'b', createdAtMs: 1 });
    appendMessage(thread, { id: 'dup', type: 'user', content: 'c', createdAtMs: 2 });
    expect(cursorPosition(thread, 'dup')).toBe(2);
    expect(page(thread, { after: 'x' })).toEqual(['dup']);
  });

  it('stores replies past the cap, forgetting the oldest, with exact counts', () => {
    const thread = newThread('t', 'k', 0, 3);
    let n = 0;
    for (let i = 0; i < 4; i++) {
      appendMessage(thread, { id: `u${i}`, type: 'user', content: `q${i}`, createdAtMs: i });
      scheduleReply(thread, 100 + i, `a${i}`);
    }
    deliverDueReplies(
      thread,
      1_000,
      () => `r${n++}`,
      () => {},
    );
    expect(thread.messageCount).toBe(8);
    expect(retainedMessages(thread).map((m) => m.content)).toEqual(['a1', 'a2', 'a3']);
    expect(thread.userMessages).toBe(4);
  });

  it('keeps the topic exact, lone surrogate included, once the first message is forgotten', () => {
    const thread = newThread('t', 'k', 0, 1);
    const long = `${'é'.repeat(59)}\ud800${'x'.repeat(3_000)}`;
    appendMessage(thread, { id: 'm0', type: 'user', content: long, createdAtMs: 0 });
    expect(thread.topic).toBe(long.slice(0, 60));
    appendMessage(thread, { id: 'm1', type: 'user', content: 'next', createdAtMs: 1 });
    expect(thread.topic).toBe(long.slice(0, 60)); // the lone surrogate survives the copy
  });

  it('never holds more than maxMessages and pages exactly as over the newest maxMessages (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.record({
          limit: fc.integer({ min: 1, max: 100 }),
          order: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
          after: fc.option(fc.nat(45), { nil: undefined }),
          before: fc.option(fc.nat(45), { nil: undefined }),
        }),
        (cap, count, q) => {
          const thread = threadWith(count, cap);
          for (const ring of [thread.ids, thread.types, thread.contents, thread.times])
            expect(ring.length).toBeLessThanOrEqual(cap);
          expect(thread.positions.size).toBeLessThanOrEqual(cap);
          expect(thread.messageCount).toBe(count);
          const oldest = Math.max(0, count - cap);
          const kept = Array.from({ length: count - oldest }, (_, i) => oldest + i);
          expect(ids(retainedMessages(thread))).toEqual(kept.map((i) => `m${i}`));
          // The reference: a forgotten cursor sits just before the oldest kept message.
          const at = (i: number | undefined, none: number) =>
            i === undefined ? none : i >= count ? undefined : Math.max(i, oldest - 1);
          const after = at(q.after, -1);
          const before = at(q.before, count);
          const got = page(thread, {
            limit: q.limit,
            order: q.order,
            ...(q.after !== undefined && { after: `m${q.after}` }),
            ...(q.before !== undefined && { before: `m${q.before}` }),
          });
          if (after === undefined || before === undefined) {
            // Unknown ids: refused until the thread forgets; then taken as forgotten.
            if (count <= cap) expect(got).toBe('unknown cursor');
            return;
          }
          let range = kept.filter((i) => i > after && i < before);
          if (q.order === 'desc') range = range.reverse();
          expect(got).toEqual(range.slice(0, q.limit).map((i) => `m${i}`));
        },
      ),
    );
  });
});

describe('ThreadStore', () => {
  function store(max: number) {
    const evicted: string[] = [];
    const s = new ThreadStore(max, (t) => evicted.push(t.id));
    const add = (id: string, ended = false) => {
      const thread = newThread(id, 'k', 0);
      s.add(thread, ended);
      return thread;
    };
    return { s, evicted, add };
  }

  it('forgets the least recently used thread past maxThreads', () => {
    const { s, evicted, add } = store(3);
    const a = add('a');
    add('b');
    add('c');
    s.use(a, false);
    add('d');
    expect(evicted).toEqual(['b']);
    add('e');
    expect(evicted).toEqual(['b', 'c']);
    expect(s.size).toBe(3);
  });

  it('forgets threads last seen ended first, least recently used first', () => {
    const { s, evicted, add } = store(3);
    const a = add('a');
    const b = add('b');
    add('c');
    s.use(b, true);
    s.use(a, true);
    add('d');
    add('e');
    expect(evicted).toEqual(['b', 'a']);
    add('f');
    expect(evicted).toEqual(['b', 'a', 'c']);
  });

  it('a thread seen active again leaves the ended set', () => {
    const { s, evicted, add } = store(2);
    const a = add('a');
    add('b');
    s.use(a, true);
    s.use(a, false);
    add('c');
    expect(evicted).toEqual(['b']);
  });

  it('never holds more than maxThreads (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.constantFrom('add', 'use', 'delete'), fc.nat(30), fc.boolean()), {
          maxLength: 80,
        }),
        (max, ops) => {
          const kept = new Map<string, StoredThread>();
          const s = new ThreadStore(max, (t) => kept.delete(t.id));
          let n = 0;
          for (const [op, pick, ended] of ops) {
            const existing = [...kept.values()][pick % Math.max(1, kept.size)];
            if (op === 'add' || existing === undefined) {
              const thread = newThread(`t${n++}`, 'k', 0);
              kept.set(thread.id, thread);
              s.add(thread, ended);
            } else if (op === 'use') {
              s.use(existing, ended);
            } else {
              s.delete(existing);
              kept.delete(existing.id);
            }
            expect(s.size).toBeLessThanOrEqual(max);
            expect(s.size).toBe(kept.size);
          }
        },
      ),
    );
  });
});

describe('message extras', () => {
  it('keeps metadata and toolCallId of the messages that have them, and forgets them with the message', () => {
    const thread = newThread('t', 'k', 0, 2);
    appendMessage(thread, { id: 'a', type: 'tool', content: 'x', createdAtMs: 0, toolCallId: 'call-1' });
    appendMessage(thread, { id: 'b', type: 'system', content: 'y', createdAtMs: 1, metadata: { k: 1 } });
    expect(selectPage(thread, { limit: 10, order: 'asc', afterIndex: -1, beforeIndex: 2 })).toEqual([
      { id: 'a', type: 'tool', content: 'x', createdAt: new Date(0).toISOString(), toolCallId: 'call-1' },
      { id: 'b', type: 'system', content: 'y', createdAt: new Date(1).toISOString(), metadata: { k: 1 } },
    ]);
    appendMessage(thread, { id: 'c', type: 'user', content: 'z', createdAtMs: 2 });
    expect(thread.extras?.size).toBe(1);
    expect(retainedMessages(thread).map((m) => m.id)).toEqual(['b', 'c']);
    expect(retainedMessages(thread)[1]).toEqual({ id: 'c', type: 'user', content: 'z', createdAtMs: 2 });
  });
});
