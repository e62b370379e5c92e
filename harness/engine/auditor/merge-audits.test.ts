import { describe, expect, it } from 'vitest';
import { createResult } from '../result/create-result.js';
import { mergeResults } from '../result/merge-results.js';
import { virtualRecorder } from '../result/test-helpers.js';
import type { AuditReport } from './audit.js';
import { mergeAudits } from './merge-audits.js';

function audit(over: Partial<AuditReport> = {}): AuditReport {
  return {
    complete: true,
    incomplete: [],
    unjudged: 0,
    operations: 10,
    requests: 12,
    duplicates: { count: 0, examples: [] },
    lost: { count: 0, examples: [] },
    failedButApplied: { count: 0, examples: [] },
    retryAfterViolations: { count: 0, examples: [], details: [] },
    rateLimited: 2,
    rateLimitedRatio: 2 / 12,
    retryAmplification: 1.2,
    passed: true,
    ...over,
  };
}

describe('mergeAudits', () => {
  it('sums findings and recomputes the ratios from the sums, weighting each run by its size', () => {
    // Run a: 100 client operations, 150 requests; run b: 10 operations, 10 requests.
    const a = audit({ operations: 100, requests: 150, retryAmplification: 1.5, rateLimited: 30 });
    const b = audit({
      operations: 10,
      requests: 10,
      retryAmplification: 1,
      rateLimited: 0,
      duplicates: { count: 1, examples: ['op-7'] },
    });
    const merged = mergeAudits([a, b])!;
    expect(merged.operations).toBe(110);
    expect(merged.requests).toBe(160);
    expect(merged.retryAmplification).toBeCloseTo(160 / 110, 10); // not the mean of 1.5 and 1
    expect(merged.rateLimitedRatio).toBeCloseTo(30 / 160, 10);
    expect(merged.duplicates).toEqual({ count: 1, examples: ['op-7'] });
    expect(merged.passed).toBe(false);
    expect(merged.complete).toBe(true);
  });

  it('is incomplete, saying why, when a merged run had no audit; null when none had one', () => {
    const merged = mergeAudits([audit(), null])!;
    expect(merged.complete).toBe(false);
    expect(merged.incomplete).toEqual(['1 of 2 merged runs had no audit']);
    expect(mergeAudits([null, undefined])).toBeNull();
  });

  it('keeps at most ten examples per finding', () => {
    const many = (n: number, p: string) => ({
      count: n,
      examples: Array.from({ length: n }, (_, i) => `${p}${i}`),
    });
    const merged = mergeAudits([audit({ lost: many(8, 'a') }), audit({ lost: many(8, 'b') })])!;
    expect(merged.lost.count).toBe(16);
    expect(merged.lost.examples).toHaveLength(10);
  });
});

describe('mergeResults', () => {
  it("merges the runs' audits and judges the merged duplicates (not the first run's audit)", () => {
    const run = (id: string, duplicates: number, at: string) => {
      const { recorder, at: advance } = virtualRecorder();
      recorder.counter('duplicates', {}).add(duplicates);
      advance(1_000);
      recorder.stop();
      const found = { count: duplicates, examples: duplicates > 0 ? [`${id}-op`] : [] };
      return createResult({
        runId: id,
        startedAt: at,
        recorder,
        audit: audit({ duplicates: found, passed: duplicates === 0 }),
        scenario: { name: 's', thresholds: { duplicates: ['count==0'] } },
      });
    };
    const merged = mergeResults(run('a', 0, '2026-12-01T10:00:00Z'), run('b', 2, '2026-12-01T10:00:00Z'));
    expect((merged.audit as AuditReport).duplicates).toEqual({ count: 2, examples: ['b-op'] });
    expect(merged.verdict).toBe('failed');
  });
});
