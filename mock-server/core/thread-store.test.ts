import { describe, expect, it } from 'vitest';
import {
  appendMessage,
  deliverDueReplies,
  newThread,
  retainedMessages,
  scheduleReply,
  selectPage,
} from './thread-store.js';

function threadWith(count: number) {
  const thread = newThread('t', 'k', 0);
  for (let i = 0; i < count; i++)
    appendMessage(thread, { id: `m${i}`, type: 'user', content: `c${i}`, createdAtMs: i });
  return thread;
}

describe('thread store', () => {
  it('stores due replies in due-time order, stamped with their due time, before later messages', () => {
    const thread = newThread('t', 'k', 0);
    let n = 0;
    const nextId = () => `r${n++}`;
    appendMessage(thread, { id: 'u1', type: 'user', content: 'first', createdAtMs: 0 });
    scheduleReply(thread, 3_000, 'reply to first');
    appendMessage(thread, { id: 'u2', type: 'user', content: 'second', createdAtMs: 500 });
    scheduleReply(thread, 1_500, 'reply to second');
    const stored: string[] = [];
    deliverDueReplies(thread, 2_000, nextId, (m) => stored.push(m.content));
    expect(stored).toEqual(['reply to second']);
    deliverDueReplies(thread, 5_000, nextId, (m) => stored.push(m.content));
    expect(retainedMessages(thread).map((m) => [m.content, m.createdAtMs])).toEqual([
      ['first', 0],
      ['second', 500],
      ['reply to second', 1_500],
      ['reply to first', 3_000],
    ]);
    expect(thread.lastActivityMs).toBe(3_000);
    expect(thread.topic).toBe('first');
  });

  it('pages between cursors, in either order, up to the limit', () => {
    const thread = threadWith(10);
    const ids = (page: { id: string }[]) => page.map((m) => m.id);
    expect(ids(selectPage(thread, { limit: 3, order: 'asc', afterIndex: -1, beforeIndex: 10 }))).toEqual([
      'm0',
      'm1',
      'm2',
    ]);
    expect(ids(selectPage(thread, { limit: 3, order: 'desc', afterIndex: -1, beforeIndex: 10 }))).toEqual([
      'm9',
      'm8',
      'm7',
    ]);
    expect(ids(selectPage(thread, { limit: 20, order: 'asc', afterIndex: 6, beforeIndex: 10 }))).toEqual([
      'm7',
      'm8',
      'm9',
    ]);
    expect(ids(selectPage(thread, { limit: 2, order: 'desc', afterIndex: 2, beforeIndex: 6 }))).toEqual([
      'm5',
      'm4',
    ]);
    expect(selectPage(thread, { limit: 5, order: 'asc', afterIndex: 6, beforeIndex: 3 })).toEqual([]);
  });
});
