/**
 * A run audits as it goes: the mock's ledger is read in pages on the progress tick, each page
 * is audited and then compacted on the mock, and the verdict is the same as a whole-ledger
 * audit's. A client that sends every message twice is still caught, operation by operation.
 */
import { describe, expect, it } from 'vitest';
import { resolveTimeouts, type Transport } from '../../harness/client/transport.js';
import { createTransport } from '../../harness/client/transport-auto.js';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { runScenario } from '../../harness/engine/run/run-scenario.js';
import type { OpenTarget, Target } from '../../harness/engine/run/target.js';
import { mockTarget } from '../../harness/targets/index.js';

const scenario = {
  name: 'streamed-audit',
  executors: {
    main: {
      executor: 'constant-arrival-rate',
      rate: 100,
      duration: '2s',
      preAllocatedVUs: 20,
      gracefulStop: '1s',
    },
  },
  workload: { mix: { sendMessage: 1, getSession: 1 } },
  mock: { limits: false },
};

/** The mock target, watched: its ledger reads and compactions counted, what it holds at the end. */
function watchedMock(change: (opened: OpenTarget) => OpenTarget = (o) => o) {
  const seen = { reads: 0, compactions: [] as number[], heldAtEnd: -1 };
  const target: Target = {
    kind: 'mock',
    async open(context) {
      const opened = await mockTarget().open(context);
      return change({
        ...opened,
        readLedger: async (since) => {
          seen.reads++;
          return opened.readLedger!(since);
        },
        compactLedger: async (through, instanceId) => {
          seen.compactions.push(through);
          await opened.compactLedger!(through, instanceId);
        },
        close: async () => {
          const all = await opened.readLedger!(0);
          seen.heldAtEnd = all.requests.length + all.effects.length;
          await opened.close();
        },
      });
    },
  };
  return { target, seen };
}

/** A broken client's transport: every sendMessage POST goes out twice (same op id). */
function sendsTwice(inner: Transport): Transport {
  return {
    name: `${inner.name}, sending messages twice`,
    async send(request) {
      if (request.method === 'POST' && request.path.endsWith('/messages')) await inner.send(request);
      return inner.send(request);
    },
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
}

describe('the run audit, in pages', () => {
  it('reads the ledger as the run goes, compacts it on the mock, and audits every operation', async () => {
    const { target, seen } = watchedMock();
    const result = await runScenario(scenario, { target, progressIntervalMs: 200 });
    const audit = result.audit as AuditReport;
    expect(audit).toMatchObject({
      complete: true,
      duplicates: { count: 0 },
      lost: { count: 0 },
      failedButApplied: { count: 0 },
      retryAfterViolations: { count: 0 },
      passed: true,
    });
    expect(audit.requests).toBeGreaterThan(150);
    // Pages during the run (the start read, several ticks, the last read), each compacted after.
    expect(seen.reads).toBeGreaterThan(5);
    expect(seen.compactions.length).toBeGreaterThan(3);
    expect([...seen.compactions].sort((a, b) => a - b)).toEqual(seen.compactions);
    // The mock holds no more than what came after the last compaction (of the load's requests
    // and the setup's, which the audit counts apart).
    expect(seen.heldAtEnd).toBeLessThan((audit.requests + result.setup!.requests) / 2);
  }, 30_000);

  it('still finds every duplicate of a client that sends each message twice', async () => {
    const { target } = watchedMock((opened) => ({
      ...opened,
      clientOptions: {
        ...opened.clientOptions,
        transport: sendsTwice(
          createTransport('auto', new URL(opened.baseUrl).origin, {}, resolveTimeouts({})),
        ),
      },
    }));
    const result = await runScenario(scenario, { target, progressIntervalMs: 200 });
    const audit = result.audit as AuditReport;
    const sends = (result.metrics.ops?.kind === 'counter' ? result.metrics.ops.values : [])
      .filter((v) => v.tags.op === 'send_message')
      .reduce((n, v) => n + v.stats.count, 0);
    expect(sends).toBeGreaterThan(50);
    expect(audit.complete).toBe(true);
    expect(audit.passed).toBe(false);
    // Every send that completed was doubled: each one is a duplicate (sends cut at the end
    // may be one too), none goes missing.
    expect(audit.duplicates.count).toBeGreaterThanOrEqual(sends);
    expect(audit.duplicates.examples).toHaveLength(10);
    expect(audit.lost.count).toBe(0);
  }, 30_000);
});
