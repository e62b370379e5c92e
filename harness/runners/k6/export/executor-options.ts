/**
 * Our executor configs as k6 `options.scenarios` entries. Both use k6's names and meanings,
 * so this is a rename-free copy with durations written back as k6 strings ("30s", "1m30s").
 */
import type { ExecutorConfig } from '../../../../scenarios/model/executors/executor-config.js';
import { formatDurationMs } from '../../../util/duration.js';

/** A k6 duration string for ms (Go's `time.ParseDuration` reads it: "500ms", "1m30s", "2h"). */
const d = (ms: number): string => formatDurationMs(ms);

/**
 * One k6 scenario of `options.scenarios` for an executor config, with an `exec`-free default
 * function and the `executor` tag our own runs put on every sample.
 *
 * @example
 * executorOptions('main', { executor: 'constant-vus', vus: 2, duration: 10_000, startTime: 0, gracefulStop: 5_000 });
 * // { executor: 'constant-vus', vus: 2, duration: '10s', startTime: '0s', gracefulStop: '5s', tags: { executor: 'main' } }
 */
export function executorOptions(name: string, e: ExecutorConfig): Record<string, unknown> {
  const common = { startTime: d(e.startTime), gracefulStop: d(e.gracefulStop), tags: { executor: name } };
  switch (e.executor) {
    case 'constant-vus':
      return { executor: e.executor, vus: e.vus, duration: d(e.duration), ...common };
    case 'ramping-vus':
      return {
        executor: e.executor,
        startVUs: e.startVUs,
        stages: e.stages.map((s) => ({ duration: d(s.duration), target: s.target })),
        ...(e.gracefulRampDown === undefined ? {} : { gracefulRampDown: d(e.gracefulRampDown) }),
        ...common,
      };
    case 'per-vu-iterations':
    case 'shared-iterations':
      return {
        executor: e.executor,
        vus: e.vus,
        iterations: e.iterations,
        maxDuration: d(e.maxDuration),
        ...common,
      };
    case 'constant-arrival-rate':
      return {
        executor: e.executor,
        rate: e.rate,
        timeUnit: d(e.timeUnit),
        duration: d(e.duration),
        preAllocatedVUs: e.preAllocatedVUs,
        ...(e.maxVUs === undefined ? {} : { maxVUs: e.maxVUs }),
        ...common,
      };
    case 'ramping-arrival-rate':
      return {
        executor: e.executor,
        startRate: e.startRate,
        timeUnit: d(e.timeUnit),
        stages: e.stages.map((s) => ({ duration: d(s.duration), target: s.target })),
        preAllocatedVUs: e.preAllocatedVUs,
        ...(e.maxVUs === undefined ? {} : { maxVUs: e.maxVUs }),
        ...common,
      };
  }
}
