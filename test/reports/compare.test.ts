import { describe, expect, it } from 'vitest';
import { createResult } from '../../harness/engine/result/create-result.js';
import { virtualRecorder } from '../../harness/engine/result/test-helpers.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { seededRandom } from '../../harness/util/random.js';
import {
  bootstrapRelativeHalfWidth,
  compareResults,
  parseRegressionGate,
  parseRegressionGates,
  rateSamplingHalfWidth,
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareText,
} from '../../reports/compare/index.js';

/**
 * A 5 s run at 100 ops/s of `poll`: op_duration uniform in [baseMs, baseMs + 20) plus `extraMs`,
 * `failEvery`-th op failed, drawn from `seed`.
 */
function run(seed: number, extraMs = 0, failEvery = 0): RunResult {
  const { recorder, at } = virtualRecorder();
  const rand = seededRandom(seed);
  const tags = { op: 'poll', executor: 'main' };
  const ops = recorder.counter('ops', tags);
  const failed = recorder.rate('op_failed', tags);
  const duration = recorder.trend('op_duration', tags);
  let i = 0;
  for (let s = 0; s < 5; s++) {
    at(s * 1_000);
    for (let k = 0; k < 100; k++) {
      ops.add();
      failed.add(failEvery > 0 && ++i % failEvery === 0);
      duration.record(10 + rand() * 20 + extraMs);
    }
  }
  at(5_000);
  recorder.stop();
  return createResult({
    runId: `run-${seed}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    recorder,
    scenario: { name: 'synthetic' },
    target: { kind: 'mock' },
    audit: null,
  });
}

describe('compareResults', () => {
  it('flags nothing between two seeds of the same run, and no gate breaches', () => {
    const gates = parseRegressionGates(['op_duration:p(99)=+10%', 'op_duration{op:poll}:p(50)=+10%']);
    const c = compareResults(run(1), run(2), { gates });
    expect(c.regressions).toEqual([]);
    expect(c.breached).toEqual([]);
    const p99 = c.rows.find((r) => r.label === 'op_duration (all)' && r.stat === 'p(99)')!;
    expect(p99.noiseSource).toBe('per-second bootstrap + sampling');
    expect(Math.abs(p99.changePct!)).toBeLessThan(10);
  });

  it('flags a latency regression beyond tolerance and noise, and the gate that it breaches', () => {
    const c = compareResults(run(1), run(2, 50), {
      gates: parseRegressionGates(['op_duration{op:poll}:p(99)=+10%', 'op_failed:rate=+10%']),
    });
    expect(c.regressions).toContain('op_duration (all) p(99)');
    expect(c.regressions).toContain('op_duration{executor:main,op:poll} p(50)');
    expect(c.breached).toEqual([
      'op_duration{op:poll}:p(99)=+10% (op_duration{executor:main,op:poll} p(99))',
    ]);
    // op_failed is zero in both runs: no row, and its gate holds.
    expect(c.rows.some((r) => r.metric === 'op_failed')).toBe(false);
  });

  it('flags a failure rate that rose from nothing', () => {
    const c = compareResults(run(1), run(2, 0, 4));
    const row = c.rows.find((r) => r.label === 'op_failed (all)')!;
    expect(row).toMatchObject({ baseline: 0, current: 0.25, changePct: null, regression: true });
  });

  it('does not flag a change inside the tolerance however quiet the runs', () => {
    const c = compareResults(run(1), run(1, 1), { minChangeMs: 0 });
    expect(c.regressions).toEqual([]);
  });

  it('refuses a gate that matches no figure of both runs, naming the metrics there are', () => {
    expect(() => compareResults(run(1), run(2), { gates: parseRegressionGates(['nope:p(99)=+5%']) })).toThrow(
      /'nope:p\(99\)=\+5%' matches no figure present in both runs\. Metrics in both: .*op_duration/,
    );
  });

  it('renders text, Markdown and JSON deterministically', () => {
    const c = compareResults(run(1), run(2, 50));
    expect(renderCompareText(compareResults(run(1), run(2, 50)))).toBe(renderCompareText(c));
    expect(renderCompareText(c)).toMatch(
      /^op_duration \(all\)\s+p\(99\)\s+[\d.]+ ms\s+[\d.]+ ms\s+\+[\d.]+%\s+±[\d.]+%\s+regression$/m,
    );
    expect(renderCompareMarkdown(c)).toContain('| op_duration (all) | p(99) |');
    expect(JSON.parse(renderCompareJson(c)).regressions).toEqual(c.regressions);
  });
});

describe('--max-regression expressions', () => {
  it('parse metric, tag filter, stat and limit', () => {
    expect(parseRegressionGate('op_duration{op:send_message}:p(99)=+10%')).toEqual({
      ok: true,
      gate: {
        expression: 'op_duration{op:send_message}:p(99)=+10%',
        key: { metric: 'op_duration', filter: { op: 'send_message' } },
        stat: 'p(99)',
        maxChangePct: 10,
      },
    });
  });

  it('report every bad expression at once, with what is allowed', () => {
    expect(() => parseRegressionGates(['op_duration:p(95)=+10%', 'ops:rate=10', 'x'])).toThrow(
      /'op_duration:p\(95\)=\+10%': unknown STAT 'p\(95\)'; 'ops:rate=10': the limit '10' is not \+N%.*; 'x': expected METRIC:STAT=\+N%\. Expected METRIC\[\{tag:value,…\}\]:STAT=\+N% with STAT one of p\(50\), p\(90\), p\(99\)/,
    );
  });
});

describe('noise', () => {
  it('bootstraps the same band for the same samples (seeded), none for fewer than two', () => {
    const samples = [10, 12, 9, 11, 10, 13];
    expect(bootstrapRelativeHalfWidth(samples)).toBe(bootstrapRelativeHalfWidth(samples));
    expect(bootstrapRelativeHalfWidth(samples)).toBeGreaterThan(0.02);
    expect(bootstrapRelativeHalfWidth(samples)).toBeLessThan(0.2);
    expect(bootstrapRelativeHalfWidth([10])).toBeNull();
  });

  it('gives a ratio a Wilson band, narrower with more samples', () => {
    expect(rateSamplingHalfWidth(1, 100)!).toBeGreaterThan(rateSamplingHalfWidth(10, 1_000)!);
    expect(rateSamplingHalfWidth(0, 0)).toBeNull();
  });
});
