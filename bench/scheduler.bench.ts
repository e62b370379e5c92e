/**
 * The open-model scheduler on its own: `constant-arrival-rate` at 2,000 iterations/s for 5 s
 * with a no-op async iteration, on the real engine clock.
 *
 * Figures: achieved start rate vs the target (ratio; from the first to the last *actual*
 * start, so lateness at the end counts), scheduling lateness p50/p99/max (actual start minus
 * intended start, ms), dropped iterations, and the CPU the process used (% of one core).
 * The same run with `spinMs: 1` (setImmediate for the last ms of each sleep) is measured
 * after it, 2 s, for the clock's documented default choice (see `harness/engine/clock.ts`).
 * A later bench drives the same schedule through the client against the mock.
 */
import { createRealClock } from '../harness/engine/clock.js';
import { runConstantArrivalRate } from '../harness/engine/executors/index.js';
import type { SampleSink } from '../harness/engine/types.js';
import { constantArrivalRateSchema } from '../scenarios/model/executors/index.js';
import type { Bench, BenchResult } from './lib/types.js';

const RATE = 2_000; // iterations per second
const DURATION_MS = 5_000;
const SPIN_DURATION_MS = 2_000;

const noop = () => {};
const nullSink: SampleSink = {
  trend: () => ({ record: noop }),
  counter: () => ({ add: noop }),
  rate: () => ({ add: noop }),
  gauge: () => ({ set: noop }),
};

interface Measurement {
  achievedPerSec: number;
  latenessMs: { p50: number; p99: number; max: number };
  dropped: number;
  scheduled: number;
  cpuPercent: number;
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

async function measure(durationMs: number, spinMs: number): Promise<Measurement> {
  const clock = createRealClock({ spinMs });
  const scheduled = Math.ceil((durationMs * RATE) / 1_000);
  const lateness = new Float64Array(scheduled);
  let firstStart = Number.NaN;
  let lastStart = Number.NaN;
  let n = 0;
  const config = constantArrivalRateSchema.parse({
    executor: 'constant-arrival-rate',
    rate: RATE,
    duration: durationMs,
    preAllocatedVUs: 20,
    maxVUs: 200,
  });
  const cpuBefore = process.cpuUsage();
  const wallBefore = clock.now();
  const summary = await runConstantArrivalRate(config, {
    name: 'bench',
    sink: nullSink,
    clock,
    iterationFn: async (ctx) => {
      const now = clock.now();
      if (n === 0) firstStart = now;
      lastStart = now;
      lateness[n++] = now - ctx.intendedStartMs;
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = clock.now() - wallBefore;
  const sorted = lateness.subarray(0, n).sort();
  return {
    achievedPerSec: ((n - 1) * 1_000) / (lastStart - firstStart),
    latenessMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[n - 1] ?? Number.NaN },
    dropped: summary.dropped,
    scheduled,
    cpuPercent: ((cpu.user + cpu.system) / 1_000 / wallMs) * 100,
  };
}

const round = (x: number, digits = 3) => +x.toFixed(digits);

const bench: Bench = {
  name: 'scheduler',
  description: `constant-arrival-rate at ${RATE}/s with a no-op iteration: achieved rate, lateness, CPU`,
  run: async () => {
    await measure(500, 0); // warm-up: JIT, timers
    const timers = await measure(DURATION_MS, 0);
    const spin = await measure(SPIN_DURATION_MS, 1);
    if (timers.dropped > 0) {
      process.stderr.write(`  note: ${timers.dropped} of ${timers.scheduled} iterations dropped\n`);
    }
    const rows: BenchResult[] = [
      {
        name: 'scheduler achieved rate (2,000/s target)',
        value: round(timers.achievedPerSec, 1),
        unit: 'iter/s',
        baseline: RATE,
        ratio: round(timers.achievedPerSec / RATE, 4),
      },
      {
        name: 'scheduler dropped iterations',
        value: timers.dropped,
        unit: 'iterations',
        baseline: null,
        ratio: null,
      },
      {
        name: 'scheduler lateness p50',
        value: round(timers.latenessMs.p50),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'scheduler lateness p99',
        value: round(timers.latenessMs.p99),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'scheduler lateness max',
        value: round(timers.latenessMs.max),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'scheduler CPU (timers)',
        value: round(timers.cpuPercent, 1),
        unit: '% core',
        baseline: null,
        ratio: null,
      },
      {
        name: 'scheduler lateness p50 (spin 1 ms)',
        value: round(spin.latenessMs.p50),
        unit: 'ms',
        baseline: round(timers.latenessMs.p50),
        ratio: round(spin.latenessMs.p50 / timers.latenessMs.p50, 3),
      },
      {
        name: 'scheduler lateness p99 (spin 1 ms)',
        value: round(spin.latenessMs.p99),
        unit: 'ms',
        baseline: round(timers.latenessMs.p99),
        ratio: round(spin.latenessMs.p99 / timers.latenessMs.p99, 3),
      },
      {
        name: 'scheduler CPU (spin 1 ms)',
        value: round(spin.cpuPercent, 1),
        unit: '% core',
        baseline: round(timers.cpuPercent, 1),
        ratio: round(spin.cpuPercent / timers.cpuPercent, 2),
      },
    ];
    return rows;
  },
};

export default bench;
