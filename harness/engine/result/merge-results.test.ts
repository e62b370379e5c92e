import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrendSnapshot } from '../recorder/cells.js';
import { HDR_COUNTS_LENGTH } from '../recorder/hdr.js';
import type { Recorder } from '../recorder/recorder.js';
import { snapshotToResultMetrics } from './codec.js';
import { combineMetricData } from './combine.js';
import { createResult } from './create-result.js';
import { mergeResultMetrics, mergeResults } from './merge-results.js';
import { virtualRecorder } from './test-helpers.js';
import type { ResultMetrics, RunResult } from './types.js';

interface Sample {
  op: 'send' | 'create' | 'poll';
  ms: number;
  failed: boolean;
}

const sampleArb = fc.record({
  op: fc.constantFrom('send' as const, 'create' as const, 'poll' as const),
  ms: fc.double({ min: 0, max: 120_000, noNaN: true }),
  failed: fc.boolean(),
});

function feed(recorder: Recorder, samples: readonly Sample[]): void {
  for (const s of samples) {
    recorder.trend('op_duration', { op: s.op }).record(s.ms);
    recorder.counter('ops', { op: s.op }).add();
    recorder.rate('op_failed', { op: s.op }).add(s.failed);
  }
}

function metricsOf(samples: readonly Sample[], durationMs = 10_000): ResultMetrics {
  const { recorder, at } = virtualRecorder();
  feed(recorder, samples);
  at(durationMs);
  recorder.stop();
  return snapshotToResultMetrics(recorder);
}

function resultOf(
  samples: readonly Sample[],
  startedAt: string,
  thresholds: Record<string, string[]> = {},
): RunResult {
  const { recorder, at } = virtualRecorder();
  feed(recorder, samples);
  at(10_000);
  recorder.stop();
  return createResult({ runId: 'r', startedAt, recorder, scenario: { name: 's', thresholds } });
}

/** Everything but the encoded histograms (whose bytes may differ for equal contents). */
function figures(metrics: ResultMetrics) {
  return Object.fromEntries(
    Object.entries(metrics).map(([name, m]) => [
      name,
      m.values.map((v) => ({
        tags: v.tags,
        stats: { ...v.stats, ...('sum' in v.stats ? { sum: 0, avg: 0 } : {}) },
      })),
    ]),
  );
}

describe('combineMetricData', () => {
  it('refuses a bucket past 32-bit counts instead of wrapping it (NH_RESULT_MERGE)', () => {
    const big = () => {
      const counts = new Uint32Array(HDR_COUNTS_LENGTH);
      counts[1_000] = 3_000_000_000;
      return new TrendSnapshot({
        name: 'op_duration',
        tags: {},
        key: '[]',
        counts,
        count: 3_000_000_000,
        minUs: 1_000,
        maxUs: 1_000,
        sumUs: 3e12,
        invalid: 0,
      });
    };
    expect(() => combineMetricData([big(), big()], {})).toThrow(/would hold more than 4294967295 values/);
  });
});

describe('mergeResultMetrics', () => {
  it('merging two recorders equals one recorder that saw every sample (count, min, max, percentiles)', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { maxLength: 200 }),
        fc.array(sampleArb, { maxLength: 200 }),
        (a, b) => {
          const merged = mergeResultMetrics([metricsOf(a), metricsOf(b)], 10);
          const single = metricsOf([...a, ...b]);
          expect(figures(merged)).toEqual(figures(single));
          // avg comes from exact µs sums: equal up to float rounding of the division.
          for (const [name, m] of Object.entries(single)) {
            m.values.forEach((v, i) => {
              if ('avg' in v.stats) {
                const other = merged[name]!.values[i]!.stats as typeof v.stats;
                expect(other.avg).toBeCloseTo(v.stats.avg, 9);
                expect(other.sum).toBeCloseTo(v.stats.sum, 6);
              }
            });
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is associative and commutative on counts', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { maxLength: 60 }),
        fc.array(sampleArb, { maxLength: 60 }),
        fc.array(sampleArb, { maxLength: 60 }),
        (a, b, c) => {
          const [ma, mb, mc] = [metricsOf(a), metricsOf(b), metricsOf(c)];
          const left = mergeResultMetrics([mergeResultMetrics([ma, mb], 10), mc], 10);
          const right = mergeResultMetrics([ma, mergeResultMetrics([mb, mc], 10)], 10);
          const swapped = mergeResultMetrics([mc, ma, mb], 10);
          expect(figures(left)).toEqual(figures(right));
          expect(figures(swapped)).toEqual(figures(left));
          const count = (m: ResultMetrics) =>
            (m.op_duration?.values ?? []).reduce((n, v) => n + ('count' in v.stats ? v.stats.count : 0), 0);
          expect(count(left)).toBe(a.length + b.length + c.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('mergeResults', () => {
  it('spans both runs, recomputes counter rates over the merged duration and lines series up by wall clock', () => {
    const a = resultOf([{ op: 'send', ms: 5, failed: false }], '2026-01-01T00:00:00.000Z');
    const b = resultOf(
      [
        { op: 'send', ms: 7, failed: true },
        { op: 'send', ms: 9, failed: false },
      ],
      '2026-01-01T00:00:02.000Z',
    );
    const merged = mergeResults(a, b);
    expect(merged.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(merged.endedAt).toBe('2026-01-01T00:00:12.000Z');
    expect(merged.durationMs).toBe(12_000);
    expect(merged.metrics.ops?.values[0]?.stats).toEqual({ count: 3, rate: 3 / 12 });
    expect(merged.metrics.op_failed?.values[0]?.stats).toEqual({ rate: 1 / 3, passes: 1, fails: 2 });
    expect(merged.series.ops.slice(0, 3)).toEqual([1, 0, 2]);
    expect(merged.thresholds).toEqual([]);
    expect(merged).toMatchObject({ passed: true, verdict: 'passed' });
  });

  it('judges the merged result with the runs’ thresholds, over the merged metrics (not "any input passed")', () => {
    const thresholds = { op_failed: ['rate<0.4'], 'op_duration{op:send}': ['max<8'] };
    // Each worker passes on its own; together a third of the operations failed and one took 9 ms.
    const a = resultOf(
      [
        { op: 'send', ms: 5, failed: false },
        { op: 'send', ms: 5, failed: false },
      ],
      '2026-01-01T00:00:00.000Z',
      { op_failed: ['rate<0.4'], 'op_duration{op:send}': ['max<10'] },
    );
    const b = resultOf([{ op: 'send', ms: 9, failed: true }], '2026-01-01T00:00:01.000Z', thresholds);
    const merged = mergeResults({ ...a, scenario: { name: 's', thresholds } }, b);
    expect(merged.thresholds.map((t) => [t.metric, t.status])).toEqual([
      ['op_failed', 'pass'],
      ['op_duration{op:send}', 'fail'],
    ]);
    expect(merged.thresholds[0]?.actual).toBeCloseTo(1 / 3);
    expect(merged).toMatchObject({ passed: false, verdict: 'failed' });
    // And an interrupted input makes the merged run interrupted, whatever the figures say.
    const stopped = mergeResults(a, { ...a, verdict: 'interrupted' });
    expect(stopped).toMatchObject({ passed: false, verdict: 'interrupted' });
  });

  it('refuses a result of another version', () => {
    const a = resultOf([], '2026-01-01T00:00:00.000Z');
    const old = { ...a, version: 0 } as unknown as RunResult;
    expect(() => mergeResults(a, old)).toThrow(/expected nexus-harness\/result v1/);
  });
});
