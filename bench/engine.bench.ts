/**
 * The whole engine at 2,000 operations per second: a constant-arrival-rate executor drives
 * `getSession` through the real client to the mock's HTTP face (limits off, in this process),
 * with the recorder, hooks and everything a `run` does. Reports the achieved arrival rate
 * against the target (goal: within 1 %), dropped iterations, and the scheduler's lateness
 * (actual start minus intended start, from the `schedule_lateness` metric) — the figures that
 * say whether the harness, not the target, would be the bottleneck.
 */
import type { MetricData, TrendData } from '../harness/engine/recorder/index.js';
import { decodeResultMetrics } from '../harness/engine/result/codec.js';
import { combineMetricData } from '../harness/engine/result/combine.js';
import { trendPercentileMs } from '../harness/engine/result/stats.js';
import { runScenario } from '../harness/engine/run/run-scenario.js';
import { mockTarget } from '../harness/targets/index.js';
import type { Bench, BenchResult } from './lib/types.js';

const RATE = 2_000;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

function total(data: readonly MetricData[], name: string): number {
  let n = 0;
  for (const d of data) if (d.name === name && d.kind === 'counter') n += d.count;
  return n;
}

function trend(data: readonly MetricData[], name: string): TrendData {
  const cells = data.filter((d) => d.name === name);
  return (cells.length === 1 ? cells[0] : combineMetricData(cells, {})) as TrendData;
}

function scenario(durationMs: number) {
  return {
    name: 'engine-bench',
    executors: {
      main: {
        executor: 'constant-arrival-rate',
        rate: RATE,
        duration: durationMs,
        preAllocatedVUs: 50,
        maxVUs: 400,
        gracefulStop: '5s',
      },
    },
    workload: { mix: { getSession: 1 } },
    client: { rateLimit: { maxConcurrent: 256 }, pool: { connections: 32 } },
    mock: { limits: false },
  };
}

const bench: Bench = {
  name: 'engine',
  description: `constant-arrival-rate ${RATE}/s for ${DURATION_MS / 1_000} s, getSession through the client to the mock (limits off)`,
  async run(): Promise<BenchResult[]> {
    // A short unmeasured run first: JIT, connection set-up and VU allocation are not steady state.
    await runScenario(scenario(WARMUP_MS), { target: mockTarget() });
    const result = await runScenario(scenario(DURATION_MS), { target: mockTarget() });
    const data = decodeResultMetrics(result.metrics);
    const started = total(data, 'iterations');
    const dropped = total(data, 'dropped_iterations');
    const achieved = started / (DURATION_MS / 1_000);
    const lateness = trend(data, 'schedule_lateness');
    const op = trend(data, 'op_duration');
    process.stderr.write(
      `  ${started} iterations, ${dropped} dropped; op_duration p50 ${trendPercentileMs(op, 50).toFixed(2)} ms ` +
        `p99 ${trendPercentileMs(op, 99).toFixed(2)} ms; warnings: ${result.generator.warnings.join('; ') || 'none'}\n`,
    );
    return [
      { name: 'engine achieved rate', value: achieved, unit: 'op/s', baseline: RATE, ratio: achieved / RATE },
      { name: 'engine dropped iterations', value: dropped, unit: 'iterations', baseline: null, ratio: null },
      {
        name: 'engine lateness p50',
        value: trendPercentileMs(lateness, 50),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'engine lateness p99',
        value: trendPercentileMs(lateness, 99),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'engine op_duration p99',
        value: trendPercentileMs(op, 99),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
    ];
  },
};

export default bench;
