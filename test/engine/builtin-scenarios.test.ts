import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { summarise } from '../../harness/engine/result/summarise.js';
import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { runOn } from '../support/run.js';

// rate-limit-storm has its own acceptance test (test/engine/rate-limit-storm.test.ts).
const names = Object.keys(BUILTIN_SCENARIOS).filter((name) => name !== 'rate-limit-storm');

/**
 * Every built-in scenario, shortened to 3 s with --duration, runs end to end against the mock
 * with a clean audit and work done. Latency thresholds are not asserted here: on a loaded CI
 * machine they measure the machine; `nexus-harness run <name>` is where they judge.
 */
describe.each(names)('built-in scenario %s', (name) => {
  it('runs in seconds with --duration, with a clean audit', async () => {
    const { result } = await runOn(BUILTIN_SCENARIOS[name]!, { durationMs: 3_000 });
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
