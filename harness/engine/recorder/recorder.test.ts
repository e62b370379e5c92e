import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../util/errors.js';
import type { MetricName } from '../types.js';
import type { CounterData, GaugeData, RateData, TrendData } from './cells.js';
import { HDR_HIGHEST_US } from './hdr.js';
import { createRecorder } from './recorder.js';

function virtualRecorder(options: { seriesMaxPoints?: number } = {}) {
  let now = 5_000; // a clock that does not start at 0
  const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false, ...options });
  return {
    recorder,
    /** Moves virtual time to `ms` after the recorder started and ticks. */
    at(ms: number) {
      now = 5_000 + ms;
      recorder.tick();
    },
  };
}

function find<T>(recorder: ReturnType<typeof createRecorder>, name: MetricName): T[] {
  return recorder.metrics().filter((m) => m.name === name) as T[];
}

describe('createRecorder handles', () => {
  it('returns the same handle for the same metric and tag set, whatever the tag order', () => {
    const { recorder } = virtualRecorder();
    const a = recorder.trend('op_duration', { op: 'send', status: '2xx' });
    const b = recorder.trend('op_duration', { status: '2xx', op: 'send' });
    const c = recorder.trend('op_duration', { op: 'send', status: '5xx' });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(recorder.metrics()).toHaveLength(2);
    expect(Object.keys(recorder.metrics()[0]!.tags)).toEqual(['op', 'status']);
  });

  it('refuses a handle of the wrong kind or for an unknown metric, with a code', () => {
    const { recorder } = virtualRecorder();
    expect(() => recorder.trend('ops', {})).toThrow(/'ops': it is a counter/);
    try {
      recorder.counter('nope' as MetricName, {});
      expect.unreachable();
    } catch (err) {
      expect(HarnessError.is(err) && err.code).toBe('NH_METRIC_UNKNOWN');
    }
  });

  it('records trends in whole µs: rounded, negatives to 0, above one hour clamped, NaN skipped', () => {
    const { recorder } = virtualRecorder();
    const h = recorder.trend('http_req_duration', {});
    for (const v of [1.2344, 1.2346, -5, 10 * 3_600_000, Number.NaN]) h.record(v);
    const [cell] = find<TrendData>(recorder, 'http_req_duration');
    expect(cell).toMatchObject({ count: 4, minUs: 0, maxUs: HDR_HIGHEST_US, invalid: 1 });
    expect(cell!.sumUs).toBe(1_234 + 1_235 + 0 + HDR_HIGHEST_US);
    expect(cell!.histogram.totalCount).toBe(4);
  });

  it('sums counters, counts rate passes and fails, keeps gauge last/min/max', () => {
    const { recorder } = virtualRecorder();
    const reqs = recorder.counter('http_reqs', { op: 'send' });
    reqs.add();
    reqs.add(4);
    const failed = recorder.rate('http_req_failed', {});
    failed.add(true);
    failed.add(false);
    failed.add(false);
    const vus = recorder.gauge('vus', {});
    vus.set(10);
    vus.set(3);
    vus.set(7);
    expect(find<CounterData>(recorder, 'http_reqs')[0]!.count).toBe(5);
    expect(find<RateData>(recorder, 'http_req_failed')[0]).toMatchObject({ passes: 1, fails: 2 });
    expect(find<GaugeData>(recorder, 'vus')[0]).toMatchObject({ value: 7, min: 3, max: 10, sets: 3 });
  });
});

describe('createRecorder series and time', () => {
  it('puts ops, errors, 429s and op_duration percentiles into the interval current at the last tick', () => {
    const { recorder, at } = virtualRecorder();
    const ops = recorder.counter('ops', { op: 'send' });
    const failed = recorder.rate('op_failed', { op: 'send' });
    const limited = recorder.counter('rate_limited', {});
    const duration = recorder.trend('op_duration', { op: 'send' });
    for (let i = 1; i <= 100; i++) {
      ops.add();
      failed.add(i % 10 === 0);
      duration.record(i); // 1 … 100 ms
    }
    limited.add(3);
    at(1_500); // second 1
    ops.add(2);
    at(3_200); // second 3: second 2 stays empty
    const s = recorder.series();
    expect(s.intervalSec).toBe(1);
    expect(s.tSec).toEqual([0, 1, 2, 3]);
    expect(s.ops).toEqual([100, 2, 0, 0]);
    expect(s.errors).toEqual([10, 0, 0, 0]);
    expect(s.rateLimited).toEqual([3, 0, 0, 0]);
    expect(s.p50Ms[0]).toBeCloseTo(50, -0.5); // ±3.2 % sketch
    expect(Math.abs(s.p99Ms[0]! - 99) / 99).toBeLessThan(0.033);
    expect(s.p50Ms.slice(1)).toEqual([null, null, null]);
  });

  it('keeps the series bounded on a long run by merging neighbouring intervals', () => {
    const { recorder, at } = virtualRecorder({ seriesMaxPoints: 8 });
    const ops = recorder.counter('ops', {});
    for (let sec = 0; sec < 40; sec++) {
      at(sec * 1_000);
      ops.add(1);
    }
    const s = recorder.series();
    expect(s.intervalSec).toBe(8);
    expect(s.ops.length).toBeLessThanOrEqual(8);
    expect(s.ops.reduce((a, b) => a + b, 0)).toBe(40);
    expect(s.tSec).toEqual([0, 8, 16, 24, 32]);
  });

  it('freezes elapsed time at stop, and stop is idempotent', () => {
    const { recorder, at } = virtualRecorder();
    at(2_500);
    recorder.stop();
    at(9_000);
    recorder.stop();
    expect(recorder.elapsedMs()).toBe(2_500);
    expect(recorder.series().tSec).toEqual([0, 1, 2]);
  });

  it('reports no generator figures and no warnings when health sampling is off', () => {
    const { recorder } = virtualRecorder();
    expect(recorder.generator()).toMatchObject({ eventLoopDelayMs: null, samples: 0, warnings: [] });
  });
});

describe('createRecorder: the generator judged over the load window', () => {
  it("reads the window off the executors' samples, so start-up and the audit are not judged", () => {
    let now = 5_000;
    let cpuUs = 0;
    const recorder = createRecorder({
      clock: { now: () => now },
      tickMs: false,
      health: { cpuUsage: () => ({ user: cpuUs, system: 0 }), eventLoopMonitor: null },
    });
    /** `ms` of virtual time at `cores`, ticking every 100 ms; `work` runs before each tick. */
    const spend = (ms: number, cores: number, work = () => {}) => {
      for (let t = 0; t < ms; t += 100) {
        cpuUs += 100 * 1_000 * cores;
        now += 100;
        work();
        recorder.tick();
      }
    };
    spend(300, 2); // the client and workload set up, the ledger's first read
    // An executor, as RunState does: its handles at its start, samples per iteration.
    const tags = { executor: 'main' };
    const lateness = recorder.trend('schedule_lateness', tags);
    const duration = recorder.trend('iteration_duration', tags);
    recorder.counter('dropped_iterations', tags);
    recorder.gauge('vus', tags).set(2);
    const vus = recorder.gauge('vus', tags);
    spend(1_000, 0.2, () => {
      lateness.record(0.1);
      duration.record(3);
    });
    vus.set(0); // the executor's end, as RunState sets it
    spend(700, 1.9); // client close, the audit
    recorder.stop();
    const generator = recorder.generator();
    expect(generator.warnings).toEqual([]);
    expect(generator.loadWindow).toEqual({ fromMs: 300, toMs: 1_300 });
    expect(generator.cpu.meanCores).toBeCloseTo(0.2, 6);
    expect(generator.wholeRun?.elapsedMs).toBe(2_000);
    expect(generator.wholeRun?.cpu.meanCores).toBeCloseTo((600 + 200 + 1_330) / 2_000, 6);
  });

  it('keeps a long iteration in the window while its VU is busy, though it starts and ends nothing', () => {
    let now = 0;
    let cpuUs = 0;
    const recorder = createRecorder({
      clock: { now: () => now },
      tickMs: false,
      health: { cpuUsage: () => ({ user: cpuUs, system: 0 }), eventLoopMonitor: null },
    });
    const tags = { executor: 'main' };
    const vus = recorder.gauge('vus', tags);
    recorder.trend('iteration_duration', tags);
    const lateness = recorder.trend('schedule_lateness', tags);
    vus.set(1);
    lateness.record(0.1); // the one iteration starts, and runs until the run cuts it
    for (let t = 0; t < 1_500; t += 100) {
      cpuUs += 100 * 1_000; // a full core
      now += 100;
      recorder.tick();
    }
    vus.set(0); // cut at the end: no iteration_duration sample
    now += 100;
    recorder.tick();
    recorder.stop();
    const generator = recorder.generator();
    // It closed at the first tick (the last start) before: 100 ms, judged on start-up alone.
    expect(generator.loadWindow).toEqual({ fromMs: 0, toMs: 1_500 });
    expect(generator.cpu.peakWindowCores).toBeCloseTo(1, 6);
    expect(generator.warnings.join('\n')).toMatch(/process CPU reached 1\.00 cores/);
  });
});

describe('createRecorder with its defaults', () => {
  it('runs its own timer and health monitor, and stop() ends them (no wall-clock assertions)', async () => {
    const recorder = createRecorder();
    recorder.counter('ops', {}).add();
    await new Promise((resolve) => setTimeout(resolve, 30));
    recorder.stop();
    const generator = recorder.generator();
    expect(generator.cpu.meanCores).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(generator.warnings)).toBe(true);
    const frozen = recorder.elapsedMs();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(recorder.elapsedMs()).toBe(frozen);
  });
});
