import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../auditor/audit.js';
import type { ExecutorSummary } from '../executors/base.js';
import { type CompletionReport, completionOf } from '../run/completion.js';
import { createResult } from './create-result.js';
import { mergeResults } from './merge-results.js';
import { virtualRecorder } from './test-helpers.js';
import type { RunResult } from './types.js';

const finding = (count: number, prefix: string) => ({
  count,
  examples: Array.from({ length: count }, (_, i) => `${prefix}.${i}`),
});

/** An audit of `operations` operations, `requests` requests, with the findings given. */
function audit(
  operations: number,
  requests: number,
  findings: Partial<Record<'dup' | 'lost' | 'ra' | 'rl', number>>,
  prefix: string,
): AuditReport {
  const ra = finding(findings.ra ?? 0, `${prefix}.ra`);
  return {
    complete: true,
    incomplete: [],
    unjudged: 0,
    operations,
    requests,
    duplicates: finding(findings.dup ?? 0, `${prefix}.dup`),
    lost: finding(findings.lost ?? 0, `${prefix}.lost`),
    failedButApplied: finding(0, prefix),
    retryAfterViolations: { ...ra, details: [] },
    rateLimited: findings.rl ?? 0,
    rateLimitedRatio: requests === 0 ? 0 : (findings.rl ?? 0) / requests,
    retryAmplification: requests / operations,
    passed: (findings.dup ?? 0) + (findings.lost ?? 0) + (findings.ra ?? 0) === 0,
  };
}

const summary = (demanded: number, iterations: number, dropped = 0): ExecutorSummary => ({
  executor: 'constant-arrival-rate',
  iterations,
  failed: 0,
  dropped,
  interrupted: 0,
  demanded,
  vusMax: 2,
  startedAtMs: 0,
  endedAtMs: 1_000,
});

const WHOLE = { name: 'steady', executors: { main: { executor: 'constant-arrival-rate', rate: 30 } } };

/** Segment `index` of `count` of a run of `steady`, as `runScenario` stores one. */
function segment(
  index: number,
  count: number,
  part: { demanded: number; done: number; dropped?: number; audit: AuditReport | null; name?: string },
): RunResult {
  const { recorder, at } = virtualRecorder();
  for (let i = 0; i < part.done; i++) recorder.counter('ops', { op: 'poll' }).add();
  // As runScenario records its audit's ratio.
  if (part.audit !== null) recorder.gauge('retry_amplification', {}).set(part.audit.retryAmplification);
  const executors = { main: summary(part.demanded, part.done, part.dropped) };
  const completion = completionOf(executors);
  at(3_000);
  recorder.stop();
  return createResult({
    runId: `run-${index}`,
    startedAt: '2026-12-01T10:00:00.000Z',
    recorder,
    scenario: {
      name: part.name ?? 'steady',
      thresholds: { duplicates: ['count==0'], completion: ['rate==1'] },
      resolved: { ...WHOLE, executors: { main: { ...WHOLE.executors.main, stripe: { index, count } } } },
      executors,
      segment: { index, count },
      whole: WHOLE,
    },
    audit: part.audit,
    completion,
  });
}

describe('mergeResults over the segments of a split run', () => {
  it('combines the audits: findings, requests and 429s summed, examples from each, ratios from the sums', () => {
    const merged = mergeResults(
      segment(0, 2, { demanded: 15, done: 15, audit: audit(10, 20, { dup: 1, rl: 2 }, 'a') }),
      segment(1, 2, { demanded: 15, done: 15, audit: audit(30, 30, { lost: 2, ra: 1 }, 'b') }),
    );
    const a = merged.audit as AuditReport;
    expect(a.duplicates).toEqual({ count: 1, examples: ['a.dup.0'] });
    expect(a.lost).toEqual({ count: 2, examples: ['b.lost.0', 'b.lost.1'] });
    expect(a.retryAfterViolations.count).toBe(1);
    expect(a.operations).toBe(40);
    expect(a.requests).toBe(50);
    expect(a.rateLimited).toBe(2);
    // 50 requests over 40 client operations, not the mean of 2 and 1.
    expect(a.retryAmplification).toBeCloseTo(50 / 40);
    // …and so is the metric a threshold on it judges (the parts' gauges were 2 and 1).
    expect(merged.metrics.retry_amplification?.values[0]?.stats).toMatchObject({ value: 50 / 40 });
    expect(a.passed).toBe(false);
  });

  it('sums completion per executor and in total, and shows the whole scenario', () => {
    const merged = mergeResults(
      segment(0, 3, { demanded: 10, done: 10, audit: null }),
      segment(2, 3, { demanded: 10, done: 9, dropped: 1, audit: null }),
      segment(1, 3, { demanded: 10, done: 10, audit: null }),
    );
    const completion = merged.completion as CompletionReport;
    expect(completion).toMatchObject({ demanded: 30, completed: 29, dropped: 1, shortfall: 1 });
    expect(completion.byExecutor.main).toMatchObject({ demanded: 30, completed: 29, dropped: 1 });
    const scenario = merged.scenario as Record<string, unknown>;
    expect(scenario.resolved).toEqual(WHOLE);
    expect(scenario.segments).toBe(3);
    expect(scenario).not.toHaveProperty('segment');
    expect((scenario.executors as Record<string, ExecutorSummary>).main).toMatchObject({
      iterations: 29,
      demanded: 30,
    });
  });

  it('refuses segments that do not make a whole, and runs of different scenarios', () => {
    const part = (index: number, count: number, name?: string) =>
      segment(index, count, { demanded: 5, done: 5, audit: null, name });
    expect(() => mergeResults(part(0, 3), part(1, 3))).toThrow(/segment\(s\) 2\/3 missing/);
    expect(() => mergeResults(part(0, 2), part(0, 2), part(1, 2))).toThrow(
      /segment 0\/2 is there twice \(runs run-0 and run-0\)/,
    );
    expect(() => mergeResults(part(0, 2), part(1, 3))).toThrow(/split 2 and 3 ways/);
    expect(() => mergeResults(part(0, 2), part(1, 2, 'smoke'))).toThrow(
      /different scenarios \(run run-0: steady, run run-1: smoke\)/,
    );
    const whole = mergeResults(part(0, 1));
    expect(() => mergeResults(part(0, 2), { ...whole, scenario: { name: 'steady' } })).toThrow(/a whole run/);
  });
});
