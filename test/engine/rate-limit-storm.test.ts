import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import { summarise } from '../../harness/engine/result/summarise.js';
import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { runOn } from '../support/run.js';

const builtin = BUILTIN_SCENARIOS['rate-limit-storm']!;

/**
 * The storm on a faster clock: the built-in's 20 requests per 2 s make 70 sends take four
 * windows or more, and every surprise 429 pauses the key for its 1 s Retry-After (≈ 13 s in all).
 * Here the key allows 25 requests per 1 s: still far under the 70 sent at once, so the first
 * wave is mostly refused, with three windows or more to get through and the same surprise 429s
 * (Retry-After 1 s, the shortest the header can say). The client learns the limit the same way.
 */
const storm = {
  ...builtin,
  mock: { ...builtin.mock, limits: { perMinute: { limit: 25, windowMs: 1_000 } } },
};

describe('rate-limit-storm on the mock', () => {
  it('completes every operation with 429s counted and honoured: 0 duplicates, 0 lost, 0 violations', async () => {
    const { result, exitCode } = await runOn(storm, {});
    const audit = result.audit as AuditReport;
    const summary = summarise(result);
    expect(summary.ops).toBe(70);
    expect(summary.errors).toBe(0);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(audit, JSON.stringify(audit.retryAfterViolations.details)).toMatchObject({
      complete: true,
      duplicates: { count: 0 },
      lost: { count: 0 },
      failedButApplied: { count: 0 },
      retryAfterViolations: { count: 0 },
    });
    expect(audit.rateLimited).toBe(summary.rateLimited);
    // A mock with limits gets no setup: no session or read before the clock that the scenario did not ask for.
    expect(result.setup).toMatchObject({ vus: 0, requests: 0 });
    expect(result.setup?.skipped).toMatch(/may limit requests/);
    expect(result.thresholds.every((t) => t.ok)).toBe(true);
    expect(exitCode).toBe(0);
  });

  it('fails with exit 99 when the client is deliberately broken (--unsafe-ignore-rate-limits)', async () => {
    // The blind client violates a Retry-After within its first window (its first wave is
    // refused, and it sends again at once): 1 s of the storm and a 1 s graceful stop show it.
    const short = {
      ...storm,
      executors: { storm: { ...storm.executors.storm, gracefulStop: '1s' } },
    };
    const { result, exitCode } = await runOn(short, { unsafeIgnoreRateLimits: true, durationMs: 1_000 });
    const audit = result.audit as AuditReport;
    expect(audit.retryAfterViolations.count).toBeGreaterThan(0);
    const violated = result.thresholds.find((t) => t.metric === 'retry_after_violations');
    expect(violated).toMatchObject({ ok: false });
    expect(exitCode).toBe(99);
  });
});
