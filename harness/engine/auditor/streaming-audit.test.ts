import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEffect, LedgerRequest } from '../../../mock-server/core/types.js';
import { auditRun, type ClientOperationRecord } from './audit.js';
import { createStreamingAudit } from './streaming-audit.js';

const KEY = 'k_test';
const SETTLE_MS = 500;

function request(
  seq: number,
  at: number,
  opId: string | null,
  extra: Partial<LedgerRequest> = {},
): LedgerRequest {
  return {
    seq,
    at,
    method: 'POST',
    route: 'sendMessage',
    path: '/api/public/thread/t/messages',
    keyId: KEY,
    idempotencyKey: null,
    opId,
    status: 200,
    fault: null,
    delayMs: 0,
    replayed: false,
    retryAfterUntil: null,
    resetAt: null,
    ...extra,
  };
}

function effect(
  seq: number,
  at: number,
  opId: string | null,
  kind: LedgerEffect['kind'] = 'message_stored',
  keyId = KEY,
): LedgerEffect {
  return {
    seq,
    at,
    kind,
    keyId,
    threadId: 't',
    messageId: `m${seq}`,
    idempotencyKey: null,
    opId,
    requestSeq: null,
  };
}

const op = (
  opId: string,
  endedAtMs: number,
  ok = true,
  startedAtMs = endedAtMs - 10,
): ClientOperationRecord => ({
  opId,
  effect: 'message_stored',
  ok,
  startedAtMs,
  endedAtMs,
});

/**
 * A run drawn at random: operations with start and end, effects recorded while an operation
 * runs or up to the settle margin after it ends (a late attempt), a few of other keys and of
 * no operation, requests with 429s in arrival order, and the times at which pages are read.
 */
const runArb = fc
  .record({
    ops: fc.array(
      fc.record({
        start: fc.integer({ min: 0, max: 5_000 }),
        length: fc.integer({ min: 0, max: 2_000 }),
        ok: fc.boolean(),
        createSession: fc.boolean(),
        // Offsets of its effects from its start, in thousandths of the time it may take effect.
        effects: fc.array(fc.integer({ min: 0, max: 999 }), { maxLength: 3 }),
      }),
      { maxLength: 25 },
    ),
    foreign: fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 8_000 }), kind: fc.constantFrom('key', 'none', 'prefix') }),
      { maxLength: 5 },
    ),
    requests: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 4_000 }),
        // Mostly the first few operations, so that one meets its own Retry-After.
        op: fc.integer({ min: -1, max: 5 }),
        limited: fc.boolean(),
        waitMs: fc.integer({ min: 0, max: 1_500 }),
      }),
      { maxLength: 30 },
    ),
    reads: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }),
    maxExamples: fc.integer({ min: 1, max: 4 }),
  })
  .map((drawn) => {
    const records: ClientOperationRecord[] = drawn.ops.map((o, i) => ({
      opId: `r.${i}`,
      effect: o.createSession ? 'thread_created' : 'message_stored',
      ok: o.ok,
      startedAtMs: o.start,
      endedAtMs: o.start + o.length,
    }));
    type Entry = { at: number; make: (seq: number) => LedgerEffect | LedgerRequest };
    const entries: Entry[] = [];
    drawn.ops.forEach((o, i) => {
      const record = records[i]!;
      for (const f of o.effects) {
        // Strictly before end + settle: a page read then has it.
        const at = o.start + Math.floor((f / 1_000) * (o.length + SETTLE_MS));
        entries.push({ at, make: (seq) => effect(seq, at, record.opId, record.effect) });
        // createSession also stores its first message under the same op id: not a duplicate.
        if (o.createSession)
          entries.push({ at, make: (seq) => effect(seq, at, record.opId, 'message_stored') });
      }
    });
    for (const f of drawn.foreign) {
      const make =
        f.kind === 'key'
          ? (seq: number) => effect(seq, f.at, 'r.0', 'message_stored', 'k_other')
          : f.kind === 'none'
            ? (seq: number) => effect(seq, f.at, null, 'reply_stored')
            : (seq: number) => effect(seq, f.at, 'other-run.1');
      entries.push({ at: f.at, make });
    }
    for (const r of drawn.requests) {
      const opId = r.op < 0 || r.op >= records.length ? null : records[r.op]!.opId;
      entries.push({
        at: r.at,
        make: (seq) =>
          request(
            seq,
            r.at,
            opId,
            r.limited ? { status: 429, retryAfterUntil: r.at + r.waitMs, resetAt: r.at + r.waitMs + 10 } : {},
          ),
      });
    }
    // The ledger's seq is arrival order.
    entries.sort((a, b) => a.at - b.at);
    const all = entries.map((e, i) => ({ at: e.at, entry: e.make(i + 1) }));
    return { records, all, reads: [...drawn.reads].sort((a, b) => a - b), maxExamples: drawn.maxExamples };
  });

type Run = typeof runArb extends fc.Arbitrary<infer R> ? R : never;

function split(entries: Run['all']) {
  const requests: LedgerRequest[] = [];
  const effects: LedgerEffect[] = [];
  for (const { entry } of entries) {
    if ('status' in entry) requests.push(entry);
    else effects.push(entry);
  }
  return { requests, effects };
}

/** Streams a run as the harness sees it: operations as they end, pages as they are read. */
function streamed(run: Run, options: { addOpsFirst?: boolean } = {}) {
  const audit = createStreamingAudit({
    keyId: KEY,
    settleMs: SETTLE_MS,
    maxExamples: run.maxExamples,
    opIdPrefix: 'r.',
  });
  const byEnd = [...run.records].sort((a, b) => a.endedAtMs! - b.endedAtMs!);
  if (options.addOpsFirst) for (const record of byEnd) audit.addOperation(record);
  let next = 0;
  let from = 0;
  for (const readAt of run.reads) {
    // Operations that ended before this read have been handed over by now.
    while (!options.addOpsFirst && next < byEnd.length && byEnd[next]!.endedAtMs! < readAt)
      audit.addOperation(byEnd[next++]!);
    // The page holds what was recorded before the read began.
    let to = from;
    while (to < run.all.length && run.all[to]!.at < readAt) to++;
    audit.addLedgerPage({ ...split(run.all.slice(from, to)), dropped: 0 }, readAt);
    from = to;
  }
  while (next < byEnd.length && !options.addOpsFirst) audit.addOperation(byEnd[next++]!);
  audit.addLedgerPage(split(run.all.slice(from)));
  return { audit, byEnd };
}

describe('createStreamingAudit', () => {
  it('gives the same report as auditRun over the whole ledger, whatever the pages and the order of arrival', () => {
    fc.assert(
      fc.property(runArb, fc.boolean(), (run, addOpsFirst) => {
        const { audit, byEnd } = streamed(run, { addOpsFirst });
        const whole = auditRun({
          ledger: { ...split(run.all), dropped: 0, lastSeq: run.all.length, instanceId: 'i' },
          keyId: KEY,
          // The streaming audit judges in the order operations ended.
          operations: byEnd,
          operationCount: byEnd.length + 3,
          maxExamples: run.maxExamples,
        });
        expect(audit.report({ operationCount: byEnd.length + 3 })).toEqual(whole);
      }),
      { seed: 20_240_611, numRuns: 300 },
    );
  });

  it('forgets operations once the ledger has been read past their end and the margin', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        const last = Math.max(0, ...run.all.map((e) => e.at), ...run.records.map((r) => r.endedAtMs!));
        const { audit } = streamed({
          ...run,
          reads: [...run.reads, last + SETTLE_MS + 1].sort((a, b) => a - b),
        });
        // Everything was read after the last end + the margin: nothing is left but verdicts.
        expect(audit.held()).toMatchObject({ operations: 0, opIds: 0, orphans: 0 });
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('holds a bounded amount over a long stream: the held counts fall back after each settle', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 2_000 });
    let seq = 0;
    let peak = 0;
    let peakBlocked = 0;
    for (let second = 0; second < 300; second++) {
      const requests: LedgerRequest[] = [];
      const effects: LedgerEffect[] = [];
      for (let i = 0; i < 200; i++) {
        const opId = `r.${second}.${i}`;
        const at = second * 1_000 + i * 5;
        // Every tenth request a 429 of its operation, retried after the wait.
        if (i % 10 === 0) requests.push(request(++seq, at, opId, { status: 429, retryAfterUntil: at + 50 }));
        requests.push(request(++seq, at + 60, opId));
        effects.push(effect(++seq, at + 60, opId));
        audit.addOperation(op(opId, at + 70));
      }
      // Requests in arrival order, as the ledger has them.
      requests.sort((a, b) => a.at - b.at);
      audit.addLedgerPage({ requests, effects, dropped: 0 }, (second + 1) * 1_000);
      const held = audit.held();
      peak = Math.max(peak, held.operations, held.opIds);
      peakBlocked = Math.max(peakBlocked, held.blockedOps);
    }
    // About settleMs + one page of operations at most, not the 60 000 of the run; blocks are
    // swept when they reach 1 024 (almost all of them have passed by then).
    expect(peak).toBeLessThan(800);
    expect(peakBlocked).toBeLessThanOrEqual(1_024);
    const report = audit.report({ operationCount: 60_000 });
    expect(report).toMatchObject({
      passed: true,
      requests: 66_000,
      rateLimited: 6_000,
      duplicates: { count: 0 },
      lost: { count: 0 },
    });
    expect(audit.held()).toMatchObject({ operations: 0, opIds: 0 });
  });

  it('catches a late duplicate within the settle margin: an attempt that took effect after its operation ended', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 5_000 });
    audit.addLedgerPage({ requests: [], effects: [effect(1, 900, 'r.a')] }, 1_000);
    audit.addOperation(op('r.a', 1_000));
    audit.addLedgerPage({ requests: [], effects: [] }, 2_000);
    expect(audit.held().operations).toBe(1); // not judged yet: 1 s after its end
    // The timed-out attempt reaches the mock 3 s after the operation gave up.
    audit.addLedgerPage({ requests: [], effects: [effect(2, 4_000, 'r.a')] }, 4_500);
    audit.addLedgerPage({ requests: [], effects: [] }, 6_500);
    expect(audit.held().operations).toBe(0);
    expect(audit.report({ operationCount: 1 }).duplicates).toEqual({ count: 1, examples: ['r.a'] });
  });

  it('takes effects read before the operation record arrives (the usual order: the record comes at its end)', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 1_000 });
    audit.addLedgerPage({ requests: [], effects: [effect(1, 100, 'r.a'), effect(2, 150, 'r.b')] }, 200);
    expect(audit.held().orphans).toBe(2);
    audit.addOperation(op('r.a', 300));
    audit.addOperation(op('r.b', 300, false));
    audit.addOperation(op('r.c', 300));
    expect(audit.held()).toMatchObject({ orphans: 0, opIds: 3 });
    audit.addLedgerPage({ requests: [], effects: [] }, 2_000);
    const report = audit.report({ operationCount: 3 });
    expect(report.failedButApplied.examples).toEqual(['r.b']);
    expect(report.lost.examples).toEqual(['r.c']);
  });

  it("ignores other runs' op ids at once", () => {
    const audit = createStreamingAudit({ keyId: KEY, opIdPrefix: 'r.' });
    audit.addLedgerPage({ requests: [], effects: [effect(1, 0, 'r.a'), effect(2, 0, 'x.other')] }, 0);
    expect(audit.held().orphans).toBe(1);
  });

  it('keeps the effect of an operation in flight however long it takes: ok at 301 s after its message was stored at 149 s is not lost', () => {
    // A lost response, then long Retry-After waits: the client allows far longer than 5 minutes.
    for (const inFlight of [undefined, (opId: string) => opId === 'r.slow']) {
      const audit = createStreamingAudit({ keyId: KEY, opIdPrefix: 'r.', inFlight });
      for (let second = 1; second <= 310; second++) {
        const effects = second === 150 ? [effect(1, 149_000, 'r.slow')] : [];
        audit.addLedgerPage({ requests: [], effects, dropped: 0 }, second * 1_000);
        if (second === 301) audit.addOperation(op('r.slow', 301_000, true, 100_000));
      }
      expect(audit.report({ operationCount: 1 })).toMatchObject({
        complete: true,
        lost: { count: 0 },
        passed: true,
      });
    }
  });

  it('holds orphans only for the operations in flight, and counts an effect after its verdict as late', () => {
    const inFlight = new Set<string>();
    const audit = createStreamingAudit({
      keyId: KEY,
      settleMs: 1_000,
      opIdPrefix: 'r.',
      inFlight: (opId) => inFlight.has(opId),
    });
    const IN_FLIGHT = 50;
    let seq = 0;
    let peakOrphans = 0;
    let peakInFlight = 0;
    // 20 000 operations, each 60 s long (effect at its start, record at its end), 50 at a time.
    const ending: { opId: string; endsAt: number }[] = [];
    let next = 0;
    for (let second = 0; second < 24_000 / IN_FLIGHT + 60; second++) {
      const now = second * 1_000;
      while (ending.length > 0 && ending[0]!.endsAt <= now) {
        const done = ending.shift()!;
        inFlight.delete(done.opId);
        audit.addOperation(op(done.opId, done.endsAt, true, done.endsAt - 60_000));
      }
      const effects: LedgerEffect[] = [];
      // A new operation starts when one ends, bounded as the client bounds its calls in flight.
      while (inFlight.size < IN_FLIGHT && next < 20_000) {
        const opId = `r.${next++}`;
        inFlight.add(opId);
        ending.push({ opId, endsAt: now + 60_000 });
        effects.push(effect(++seq, now, opId));
      }
      // Every 100th second, a late attempt of an operation long judged takes effect again.
      if (second % 100 === 99 && next > 2 * IN_FLIGHT) effects.push(effect(++seq, now, 'r.0'));
      audit.addLedgerPage({ requests: [], effects, dropped: 0 }, now + 1);
      peakOrphans = Math.max(peakOrphans, audit.held().orphans);
      peakInFlight = Math.max(peakInFlight, inFlight.size);
    }
    expect(peakInFlight).toBe(IN_FLIGHT);
    expect(peakOrphans).toBeLessThanOrEqual(IN_FLIGHT);
    const report = audit.report({ operationCount: 20_000 });
    expect(report).toMatchObject({ lost: { count: 0 }, duplicates: { count: 0 }, complete: false });
    expect(report.incomplete).toEqual([
      expect.stringMatching(
        /^\d+ effect\(s\) reached the ledger after their operation had been judged \(over 1000 ms after it ended\)/,
      ),
    ]);
    expect(audit.held()).toMatchObject({ orphans: 0, opIds: 0, operations: 0 });
  });

  it('judges operations still in flight at the end for duplicates, and names the others as not judged', () => {
    const audit = createStreamingAudit({ keyId: KEY, opIdPrefix: 'r.', inFlight: () => true });
    audit.addOperation(op('r.done', 100));
    audit.addLedgerPage(
      {
        requests: [],
        effects: [
          effect(1, 50, 'r.done'),
          effect(2, 200, 'r.twice'), // an attempt stuck in a queue, and its retry: both applied
          effect(3, 300, 'r.twice'),
          effect(4, 200, 'r.once'),
        ],
      },
      400,
    );
    const stuck = (opId: string): ClientOperationRecord => ({
      opId,
      effect: 'message_stored',
      ok: false,
      startedAtMs: 150,
      endedAtMs: 0,
    });
    const report = audit.report({
      operationCount: 4,
      inFlight: [stuck('r.twice'), stuck('r.once'), stuck('r.nothing-yet')],
    });
    expect(report).toMatchObject({
      duplicates: { count: 1, examples: ['r.twice'] },
      lost: { count: 0 },
      failedButApplied: { count: 0 },
      unjudged: 2,
      complete: false,
      passed: false,
    });
    expect(report.incomplete).toEqual([
      '2 operation(s) had not ended when the run ended and were not judged (only checked for duplicates)',
    ]);
  });

  it("with a prefix, judges the run's effects no record ever claimed: two are a duplicate", () => {
    const audit = createStreamingAudit({ keyId: KEY, opIdPrefix: 'r.' });
    audit.addLedgerPage({ requests: [], effects: [effect(1, 0, 'r.a'), effect(2, 0, 'r.a')] }, 10);
    const report = audit.report({ operationCount: 1 });
    expect(report.duplicates).toEqual({ count: 1, examples: ['r.a'] });
    expect(report.incomplete).toEqual([expect.stringMatching(/^2 effect\(s\) reached the ledger after/)]);
  });

  it('merges touching gaps of one reason into one line, and finds an operation inside any of many gaps', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 0 });
    const reason = 'another reader released entries';
    // 2 000 reads, every other one behind another reader: 1 000 gaps apart, 1 000 ms each.
    for (let i = 0; i < 2_000; i += 2) audit.addGap({ fromMs: i * 1_000, toMs: (i + 1) * 1_000, reason });
    audit.addGap({ fromMs: 2_000_000, toMs: 2_001_000, reason });
    audit.addGap({ fromMs: 2_001_000, toMs: 2_002_000, reason }); // touches the one before
    audit.addOperation(op('r.inside', 1_500_500, true, 1_500_200));
    audit.addOperation(op('r.between', 1_501_900, true, 1_501_100));
    audit.addLedgerPage({ requests: [], effects: [effect(1, 1_501_500, 'r.between')] }, 3_000_000);
    const report = audit.report({ operationCount: 2 });
    expect(report).toMatchObject({ unjudged: 1, lost: { count: 0 }, complete: false });
    expect(report.incomplete).toEqual([
      `${reason} (1001 spans between 1970-01-01T00:00:00.000Z and 1970-01-01T00:33:22.000Z)`,
      '1 operation(s) overlapping a gap were not judged',
    ]);
  });

  it('leaves unjudged exactly the operations touching some gap, whatever the gaps and their order', () => {
    const span = (longest: number) =>
      fc
        .tuple(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: longest }))
        .map(([from, length]) => ({ fromMs: from, toMs: from + length }));
    fc.assert(
      fc.property(
        fc.array(span(400), { maxLength: 12 }),
        fc.array(span(20), { maxLength: 12 }),
        (gaps, ops) => {
          const audit = createStreamingAudit({ keyId: KEY });
          for (const gap of gaps) audit.addGap({ ...gap, reason: 'r' });
          for (const [i, o] of ops.entries()) audit.addOperation(op(`r.${i}`, o.toMs, false, o.fromMs));
          const touching = ops.filter((o) => gaps.some((g) => o.fromMs <= g.toMs && o.toMs >= g.fromMs));
          expect(audit.report({ operationCount: ops.length }).unjudged).toBe(touching.length);
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });

  it('does not judge an operation overlapping a gap added as the run went', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 100 });
    audit.addOperation(op('r.before', 500, true, 400));
    audit.addLedgerPage({ requests: [], effects: [effect(1, 450, 'r.before')] }, 1_000);
    audit.addOperation(op('r.across', 1_500, true, 1_100));
    audit.addGap({ fromMs: 1_000, toMs: 2_000, reason: 'the mock restarted' });
    audit.addLedgerPage({ requests: [], effects: [] }, 2_000);
    const report = audit.report({ operationCount: 2 });
    expect(report).toMatchObject({ unjudged: 1, complete: false, lost: { count: 0 } });
  });

  it('checks Retry-After across pages in arrival order, and sweeps blocks that have passed', () => {
    const audit = createStreamingAudit({ keyId: KEY, settleMs: 0 });
    audit.addLedgerPage(
      { requests: [request(1, 1_000, 'x', { status: 429, retryAfterUntil: 2_000 })], effects: [] },
      1_001,
    );
    audit.addLedgerPage({ requests: [request(2, 1_010, 'x')], effects: [] }, 1_011);
    const report = audit.report({ operationCount: 1 });
    expect(report.retryAfterViolations.details).toEqual([
      { opId: 'x', atMs: 1_010, blockedUntilMs: 2_000, sameOperation: true },
    ]);

    const many = createStreamingAudit({ keyId: KEY });
    for (let i = 0; i < 20_000; i++) {
      const at = i * 10;
      many.addLedgerPage({
        requests: [request(i + 1, at, `o${i}`, { status: 429, retryAfterUntil: at + 5 })],
        effects: [],
      });
    }
    expect(many.held().blockedOps).toBeLessThan(2_100);
    expect(many.report({ operationCount: 1 }).retryAfterViolations.count).toBe(0);
  });

  it('caps examples and details at maxExamples, counting all', () => {
    const audit = createStreamingAudit({ keyId: KEY, maxExamples: 2 });
    for (let i = 0; i < 5; i++) audit.addOperation(op(`r.${i}`, 10));
    const report = audit.report({ operationCount: 5 });
    expect(report.lost).toEqual({ count: 5, examples: ['r.0', 'r.1'] });
  });
});
