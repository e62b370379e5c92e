import { describe, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { summarise } from '../../harness/engine/result/summarise.js';
import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { runOn } from '../support/run.js';

// rate-limit-storm has its own acceptance test (test/engine/rate-limit-storm.test.ts).
// The scenarios whose iterations wait for the assistant's replies (conversation: 3 turns of
// 1–3 s each) end last; they start first so that they are not queued behind the others
// (vitest runs at most 5 concurrent tests at a time).
const slowFirst = ['conversation', 'soak'];
const names = [
  ...slowFirst,
  ...Object.keys(BUILTIN_SCENARIOS).filter(
    (name) => name !== 'rate-limit-storm' && !slowFirst.includes(name),
  ),
];

/**
 * Every built-in scenario, shortened to 1 s with --duration, runs end to end against the mock
 * with a clean audit and work done. Latency thresholds are not asserted here: on a loaded CI
 * machine they measure the machine; `nexus-harness run <name>` is where they judge. Each run
 * has a mock of its own on a port of its own, so the scenarios run side by side.
 */
describe.concurrent.each(names)('built-in scenario %s', (name) => {
  it('runs in seconds with --duration, with a clean audit', async ({ expect }) => {
    const { result } = await runOn(BUILTIN_SCENARIOS[name]!, { durationMs: 1_000 });
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
