import type { ExecutorConfig } from '../../../scenarios/model/executors/index.js';
import type { EngineClock, IterationFn, SampleSink, VuInitFn } from '../types.js';
import type { ExecutorSummary } from './base.js';
import { demandedIterations } from './demand.js';
import { runExecutor } from './run-executor.js';

/**
 * Runs a scenario's executors together, each from its `startTime` (relative to the call), and
 * resolves with a summary per executor name once all have ended. When `signal` aborts (Ctrl-C)
 * everything stops at once: executors not started yet never start (`startedAtMs: null`),
 * running ones abort their in-flight iterations and count them as interrupted. `initVu` sets
 * up the VUs an arrival-rate executor adds during the run (the run's setup did the others).
 *
 * @example
 * const summaries = await runExecutors(scenario.executors, workload.iteration, recorder, createRealClock(), ctl.signal);
 * summaries.main.dropped // dropped_iterations of executor "main"
 */
export async function runExecutors(
  executors: Readonly<Record<string, ExecutorConfig>>,
  iterationFn: IterationFn,
  sink: SampleSink,
  clock: EngineClock,
  signal?: AbortSignal,
  initVu?: VuInitFn,
): Promise<Record<string, ExecutorSummary>> {
  const t0 = clock.now();
  const runs = Object.entries(executors).map(async ([name, config]): Promise<[string, ExecutorSummary]> => {
    if (config.startTime > 0) await clock.sleepUntil(t0 + config.startTime, signal);
    if (signal?.aborted) {
      const now = clock.now();
      return [
        name,
        {
          executor: config.executor,
          iterations: 0,
          failed: 0,
          dropped: 0,
          interrupted: 0,
          demanded: demandedIterations(config),
          vusMax: 0,
          startedAtMs: null,
          endedAtMs: now,
        },
      ];
    }
    const summary = await runExecutor(config, { name, iterationFn, sink, clock, signal, initVu });
    return [name, { ...summary, demanded: demandedIterations(config) }];
  });
  return Object.fromEntries(await Promise.all(runs));
}
