/**
 * The run's audit over a real ledger and a real effect log, as a run drives it: pages read and
 * compacted as the run goes, operations handed over as they end, the verdict at the end. The
 * defects a review found in it: another reader's compaction, operations longer than any
 * fixed orphan window, and operations that never ended.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../../mock-server/core/ledger.js';
import type { LedgerSnapshot } from '../../../mock-server/core/types.js';
import { COMPACTED_BY_ANOTHER_READER } from '../auditor/ledger-watch.js';
import { createEffectLog, type EffectLog } from '../workload/effect-log.js';
import { createRunAudit } from './run-audit.js';

const KEY = 'k';

/** A mock's ledger in process (the real `Ledger`), read and compacted as a target does. */
function fakeMock(instanceId = 'A') {
  const ledger = new Ledger(100_000);
  return {
    /** The mock applies an operation's effect (a request, and the message it stores). */
    apply(opId: string): void {
      const at = Date.now();
      const requestSeq = ledger.nextSeq();
      ledger.addEffect({
        seq: ledger.nextSeq(),
        at,
        kind: 'message_stored',
        keyId: KEY,
        threadId: 't',
        messageId: `m${requestSeq}`,
        idempotencyKey: null,
        opId,
        requestSeq,
      });
    },
    read: async (since: number): Promise<LedgerSnapshot> => ({ ...ledger.read(since), instanceId }),
    compact: async (through: number): Promise<void> => {
      ledger.compact(through);
    },
  };
}

/** A call the test settles by hand (or never). */
function pending() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** A workload whose account is an effect log (as the built-in ones are). */
const workloadOf = (log: EffectLog) => ({ effectfulCalls: log.calls });

/** Lets the compactions (never awaited by the audit) run. */
const settleCompactions = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('createRunAudit', () => {
  it('reports a gap, never a false lost, when another reader compacted entries it had not read', async () => {
    const mock = fakeMock();
    const logA = createEffectLog();
    const logB = createEffectLog();
    const a = createRunAudit({ read: mock.read, compact: mock.compact, keyId: KEY, opIdPrefix: 'a.' });
    const b = createRunAudit({ read: mock.read, compact: mock.compact, keyId: KEY, opIdPrefix: 'b.' });
    await a.start();
    await b.start();
    await a.poll(workloadOf(logA));
    await b.poll(workloadOf(logB));
    // Run A's operation is applied and ends ok; run B reads first and releases it.
    const call = pending();
    const tracked = logA.track('message_stored', 'a.1', call.promise);
    mock.apply('a.1');
    call.resolve();
    await tracked;
    await b.poll(workloadOf(logB));
    await settleCompactions();
    const report = await a.finish(workloadOf(logA), 1);
    expect(report).toMatchObject({ lost: { count: 0 }, unjudged: 1, complete: false });
    expect(report.incomplete[0]).toMatch(
      new RegExp(`^${COMPACTED_BY_ANOTHER_READER.replace(/[()]/g, '\\$&')}`),
    );
    expect(report.incomplete[1]).toBe('1 operation(s) overlapping a gap were not judged');
    // B's own compaction left B nothing to miss.
    expect(await b.finish(workloadOf(logB), 0)).toMatchObject({ complete: true, incomplete: [] });
  });

  it('judges an operation that took over 5 minutes, its effect read 153 s before its end', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const mock = fakeMock();
    const log = createEffectLog();
    const audit = createRunAudit({ read: mock.read, compact: mock.compact, keyId: KEY, opIdPrefix: 'r.' });
    await audit.start();
    const call = pending();
    const tracked = log.track('message_stored', 'r.slow', call.promise);
    for (let second = 1; second <= 310; second++) {
      vi.setSystemTime(1_000_000 + second * 1_000);
      // Stored at 149 s; the response is lost, the client waits out Retry-After after Retry-After.
      if (second === 149) mock.apply('r.slow');
      if (second === 302) {
        call.resolve();
        await tracked;
      }
      await audit.poll(workloadOf(log));
      await settleCompactions();
    }
    expect(audit.held().orphans).toBe(0);
    expect(await audit.finish(workloadOf(log), 1)).toMatchObject({
      complete: true,
      lost: { count: 0 },
      passed: true,
    });
  });

  it('judges operations that never ended: a duplicate is found, the others are named as not judged', async () => {
    const mock = fakeMock();
    const log = createEffectLog();
    const audit = createRunAudit({ read: mock.read, compact: mock.compact, keyId: KEY, opIdPrefix: 'r.' });
    await audit.start();
    await audit.poll(workloadOf(log));
    await log.track(
      'message_stored',
      'r.done',
      Promise.resolve().then(() => mock.apply('r.done')),
    );
    // Calls whose promise never settles (an attempt stuck in a queue, cut by the end of the run).
    const never = new Promise<void>(() => {});
    void log.track('message_stored', 'r.twice', never);
    void log.track('message_stored', 'r.once', never);
    mock.apply('r.twice'); // the stuck attempt took effect, and so did its retry
    mock.apply('r.twice');
    mock.apply('r.once');
    await audit.poll(workloadOf(log));
    const report = await audit.finish(workloadOf(log), 3);
    expect(report).toMatchObject({
      duplicates: { count: 1, examples: ['r.twice'] },
      lost: { count: 0 },
      failedButApplied: { count: 0 },
      unjudged: 1,
      complete: false,
      passed: false,
    });
    expect(report.incomplete).toEqual([
      '1 operation(s) had not ended when the run ended and were not judged (only checked for duplicates)',
    ]);
  });

  it('compacts only the instance each page was read from', async () => {
    const compactions: [number, string][] = [];
    const mock = fakeMock('A');
    const audit = createRunAudit({
      read: mock.read,
      compact: async (through, instanceId) => {
        compactions.push([through, instanceId]);
      },
      keyId: KEY,
      opIdPrefix: 'r.',
    });
    const log = createEffectLog();
    await audit.start();
    mock.apply('r.x');
    await audit.poll(workloadOf(log));
    await settleCompactions();
    expect(compactions).toEqual([[2, 'A']]);
  });
});
