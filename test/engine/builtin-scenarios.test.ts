import { describe, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { summarise } from '../../harness/engine/result/summarise.js';
import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { runOn } from '../support/run.js';

// rate-limit-storm has its own acceptance test (test/engine/rate-limit-storm.test.ts).
// The scenarios whose iterations take longest (conversation waits for the assistant's replies,
// 3 turns) start first so that they are not queued behind the others (vitest runs at most 5
// concurrent tests at a time).
const slowFirst = ['conversation', 'soak'];
const names = [
  ...slowFirst,
  ...Object.keys(BUILTIN_SCENARIOS).filter(
    (name) => name !== 'rate-limit-storm' && !slowFirst.includes(name),
  ),
];

/**
 * Mock settings a scenario runs with here instead of its own, where its own would only make
 * the test wait. conversation's assistant answers in the real API's 1–3 s: an iteration begun
 * in the 1 s of the run would hold the run open for 3 such replies (≈ 10 s). Its turns, polls
 * and audit are the same with a 100–300 ms assistant; `nexus-harness run conversation` keeps
 * the real delay, and its reply_latency threshold, which this test does not assert.
 */
const mockOverrides: Record<string, object> = {
  conversation: { assistant: { delay: { type: 'uniform', minMs: 100, maxMs: 300 } } },
};

function shortened(name: string): unknown {
  const scenario = BUILTIN_SCENARIOS[name]!;
  const override = mockOverrides[name];
  return override ? { ...scenario, mock: { ...scenario.mock, ...override } } : scenario;
}

/**
 * Every built-in scenario, shortened to 1 s with --duration, runs end to end against the mock
 * with a clean audit and work done. Latency thresholds are not asserted here: on a loaded CI
 * machine they measure the machine; `nexus-harness run <name>` is where they judge. Each run
 * has a mock of its own on a port of its own, so the scenarios run side by side.
 */
describe.concurrent.each(names)('built-in scenario %s', (name) => {
  it('runs in seconds with --duration, with a clean audit', async ({ expect }) => {
    const { result } = await runOn(shortened(name), { durationMs: 1_000 });
    const summary = summarise(result);
    const audit = result.audit as AuditReport;
    expect(summary.ops).toBeGreaterThan(0);
    expect(audit).toMatchObject({ complete: true, duplicates: { count: 0 }, lost: { count: 0 } });
    expect(audit.retryAfterViolations.count).toBe(0);
    // chaos injects faults; the others must not fail a single operation.
    if (name === 'chaos') expect(summary.errorRatio).toBeLessThan(0.05);
    else expect(summary.errors).toBe(0);
    expect(result.thresholds.length).toBeGreaterThan(0);
  });
});
