import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrendData } from '../recorder/cells.js';
import type { Recorder } from '../recorder/recorder.js';
import { decodeResultMetrics } from './codec.js';
import { createResult } from './create-result.js';
import { mergeResults } from './merge-results.js';
import { trendPercentileMs } from './stats.js';
import { virtualRecorder } from './test-helpers.js';
import type { RunResult } from './types.js';

/**
 * Issue 13's acceptance: one recorded stream split across N histograms and merged gives the
 * same percentiles and counts as recording it in one. Every part records with the same HDR
 * settings (1 µs … 1 h, 3 digits) into integer µs, so the merge is exact by construction:
 * the assertions are equality, not closeness.
 */

/** One event of the stream: a latency, a counter increment and a pass/fail. */
interface Sample {
  ms: number;
  add: number;
  failed: boolean;
}

const latencyMs = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }), // sub-ms
  fc.double({ min: 1, max: 1_000, noNaN: true }),
  fc.double({ min: 1_000, max: 120_000, noNaN: true }), // multi-second
  fc.constantFrom(0, 0.0004, 0.0005, 1, 3_600_000, 4_000_000), // rounding and clamp edges
);
const sample: fc.Arbitrary<Sample> = fc.record({
  ms: latencyMs,
  add: fc.integer({ min: 0, max: 1_000 }),
  failed: fc.boolean(),
});
/** A stream and a random assignment of each event to one of N (2–5) recorders. */
const split = fc.integer({ min: 2, max: 5 }).chain((parts) =>
  fc.record({
    parts: fc.constant(parts),
    stream: fc.array(fc.tuple(sample, fc.integer({ min: 0, max: parts - 1 })), {
      minLength: 1,
      maxLength: 400,
    }),
  }),
);

const DURATION_MS = 10_000;

function record(recorder: Recorder, s: Sample): void {
  recorder.trend('op_duration', { op: 'send' }).record(s.ms);
  recorder.counter('ops', { op: 'send' }).add(s.add);
  recorder.rate('op_failed', { op: 'send' }).add(s.failed);
}

/** A result of `samples` recorded over the same virtual 10 s from the same wall-clock start. */
function resultOf(samples: readonly Sample[], runId: string): RunResult {
  const { recorder, at } = virtualRecorder();
  for (const s of samples) record(recorder, s);
  at(DURATION_MS);
  recorder.stop();
  return createResult({ runId, startedAt: '2026-01-01T00:00:00.000Z', recorder, scenario: { name: 'p' } });
}

function opDuration(result: RunResult): TrendData {
  const trend = decodeResultMetrics(result.metrics).find((d) => d.name === 'op_duration');
  if (trend?.kind !== 'trend') throw new Error('no op_duration trend');
  return trend;
}

const PERCENTILES = [50, 90, 99, 99.9, 100];

describe('mergeResults over a split stream (property)', () => {
  it('gives the counts, percentiles, max, counters and rates of the stream recorded in one', () => {
    fc.assert(
      fc.property(split, ({ parts, stream }) => {
        const one = resultOf(
          stream.map(([s]) => s),
          'one',
        );
        const shares = Array.from({ length: parts }, (_, i) =>
          resultOf(
            stream.filter(([, to]) => to === i).map(([s]) => s),
            `part-${i}`,
          ),
        );
        const merged = mergeResults(shares[0]!, ...shares.slice(1));

        expect(merged.durationMs).toBe(one.durationMs);
        // Trend: count, sum, min, max, avg and every percentile, as stored in the result…
        expect(merged.metrics.op_duration).toEqual(one.metrics.op_duration);
        // …and as read back from the merged histogram.
        const a = opDuration(merged);
        const b = opDuration(one);
        expect(a.count).toBe(stream.length);
        expect([a.count, a.sumUs, a.minUs, a.maxUs]).toEqual([b.count, b.sumUs, b.minUs, b.maxUs]);
        expect(PERCENTILES.map((p) => trendPercentileMs(a, p))).toEqual(
          PERCENTILES.map((p) => trendPercentileMs(b, p)),
        );
        expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
        // Counter: count summed, per-second rate over the same duration; rate: passes and fails summed.
        expect(merged.metrics.ops).toEqual(one.metrics.ops);
        expect(merged.metrics.op_failed).toEqual(one.metrics.op_failed);
      }),
      // A fixed seed: the same cases every run (a failure prints its counterexample).
      { seed: 1_413, numRuns: 150 },
    );
  });
});
