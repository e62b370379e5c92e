import { describe, expect, it } from 'vitest';
import type { ClientOperationRecord } from '../auditor/audit.js';
import { createEffectLog, effectLogOf, followEffectLog } from './effect-log.js';

/** A call the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createEffectLog', () => {
  it('keeps every call, in start order, with its outcome and times', async () => {
    const log = createEffectLog();
    await log.track('thread_created', 'a', Promise.resolve());
    await log.track('message_stored', 'b', Promise.reject(new Error('no'))).catch(() => {});
    expect(log.calls().map((c) => [c.effect, c.opId, c.ok])).toEqual([
      ['thread_created', 'a', true],
      ['message_stored', 'b', false],
    ]);
    expect(log.calls()[0]!.endedAtMs).toBeGreaterThanOrEqual(log.calls()[0]!.startedAtMs!);
  });

  it('followed mid-run: hands over what has ended, then each call as it ends, and keeps none', async () => {
    const log = createEffectLog();
    const seen: ClientOperationRecord[] = [];
    await log.track('message_stored', 'ended', Promise.resolve());
    const slow = deferred();
    const inFlight = log.track('message_stored', 'in-flight', slow.promise);
    expect(followEffectLog(log.calls, (record) => seen.push(record))).toBe(true);
    expect(seen.map((r) => r.opId)).toEqual(['ended']);
    await log.track('message_stored', 'later', Promise.resolve());
    slow.resolve();
    await inFlight;
    // Each exactly once, when it ended, with its outcome.
    expect(seen.map((r) => [r.opId, r.ok])).toEqual([
      ['ended', true],
      ['later', true],
      ['in-flight', true],
    ]);
    expect(log.calls()).toEqual([]);
  });

  it('with onEnd keeps nothing from the start; a second follower is refused', async () => {
    const seen: string[] = [];
    const log = createEffectLog({ onEnd: (record) => seen.push(`${record.opId}:${record.ok}`) });
    await log.track('message_stored', 'x', Promise.reject(new Error('boom'))).catch(() => {});
    expect(seen).toEqual(['x:false']);
    expect(log.calls()).toEqual([]);
    expect(() => log.follow(() => {})).toThrow(/already has a follower/);
  });

  it("followEffectLog says false for a function that is not an effect log's", () => {
    expect(
      followEffectLog(
        () => [],
        () => {},
      ),
    ).toBe(false);
  });

  it('tells which calls are in flight, by op id and as records, until each ends', async () => {
    const log = createEffectLog({ onEnd: () => {} });
    const first = deferred();
    const second = deferred();
    const a = log.track('message_stored', 'op', first.promise);
    const b = log.track('message_stored', 'op', second.promise); // a script may reuse an op id
    const never = log.track('thread_created', 'stuck', new Promise<void>(() => {}));
    void never;
    expect(log.inFlight().map((r) => [r.opId, r.ok, r.endedAtMs])).toEqual([
      ['op', false, 0],
      ['op', false, 0],
      ['stuck', false, 0],
    ]);
    first.resolve();
    await a;
    expect(log.isInFlight('op')).toBe(true);
    second.reject(new Error('no'));
    await b.catch(() => {});
    expect(log.isInFlight('op')).toBe(false);
    expect([log.isInFlight('stuck'), log.isInFlight('never-started')]).toEqual([true, false]);
    expect(log.inFlight().map((r) => r.opId)).toEqual(['stuck']);
  });

  it("effectLogOf finds the log of a workload's effectfulCalls, and nothing for another function", () => {
    const log = createEffectLog();
    expect(effectLogOf(log.calls)).toBe(log);
    expect(effectLogOf(() => [])).toBeUndefined();
  });
});
