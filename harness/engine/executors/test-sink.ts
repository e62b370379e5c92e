import type { EngineClock, MetricName, SampleSink, Tags } from '../types.js';

/** A gauge value and when it was set. */
export interface GaugePoint {
  atMs: number;
  value: number;
}

/** A {@link SampleSink} that keeps everything in memory, for tests. Keys are `metric{executor}`. */
export interface TestSink extends SampleSink {
  counters: Map<string, number>;
  trends: Map<string, number[]>;
  gauges: Map<string, GaugePoint[]>;
  /** The gauge's value at `atMs` (the last set at or before it), or undefined. */
  gaugeAt(key: string, atMs: number): number | undefined;
}

const keyOf = (name: MetricName, tags: Tags) => `${name}{${tags.executor ?? ''}}`;

/**
 * An in-memory sink for executor tests: counters summed, trend values and gauge timelines
 * kept (stamped with `clock`).
 *
 * @example
 * const sink = createTestSink(clock);
 * await runConstantVus(config, { name: 'main', iterationFn, sink, clock });
 * sink.counters.get('iterations{main}');
 */
export function createTestSink(clock: EngineClock): TestSink {
  const counters = new Map<string, number>();
  const trends = new Map<string, number[]>();
  const gauges = new Map<string, GaugePoint[]>();
  return {
    counters,
    trends,
    gauges,
    counter(name, tags) {
      const key = keyOf(name, tags);
      counters.set(key, counters.get(key) ?? 0);
      return { add: (n = 1) => counters.set(key, (counters.get(key) ?? 0) + n) };
    },
    trend(name, tags) {
      const values: number[] = [];
      trends.set(keyOf(name, tags), values);
      return { record: (v) => values.push(v) };
    },
    rate(name, tags) {
      const key = keyOf(name, tags);
      return { add: (passed) => counters.set(key, (counters.get(key) ?? 0) + (passed ? 1 : 0)) };
    },
    gauge(name, tags) {
      const points: GaugePoint[] = [];
      gauges.set(keyOf(name, tags), points);
      return { set: (value) => points.push({ atMs: clock.now(), value }) };
    },
    gaugeAt(key, atMs) {
      let value: number | undefined;
      for (const p of gauges.get(key) ?? []) if (p.atMs <= atMs) value = p.value;
      return value;
    },
  };
}
