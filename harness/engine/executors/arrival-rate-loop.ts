import type { ExecutorType } from '../../../scenarios/model/executors/common.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { RunState, type Vu } from './run-state.js';

/**
 * What an arrival-rate executor hands the shared open-model loop.
 *
 * @example
 * const plan: ArrivalRatePlan = { nextOffsetMs: constantArrivalOffsets(config), durationMs: 60_000, preAllocatedVUs: 10, maxVUs: 50, gracefulStopMs: 30_000 };
 */
export interface ArrivalRatePlan {
  /**
   * Returns the next iteration's intended start in ms after the executor's start, or
   * `undefined` when there are no more. Offsets never decrease; each is computed from the
   * fixed start (never by adding up sleeps), so the schedule cannot drift.
   */
  nextOffsetMs: () => number | undefined;
  /** How many offsets `nextOffsetMs` yields in all (closed form): what is left at the end is dropped. */
  scheduled: number;
  /** The executor's length, ms: the graceful stop starts here. */
  durationMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStopMs: number;
}

/**
 * The open-model loop shared by `constant-arrival-rate` and `ramping-arrival-rate`. For each
 * intended start it sleeps until that time (or not at all if it is behind), then runs the
 * iteration on a free VU, allocating a new one while fewer than `maxVUs` exist; with none
 * free and `maxVUs` reached the iteration is dropped and counted in `dropped_iterations`.
 *
 * Unlike k6, which drops the iteration that found no free VU and initialises a new VU in the
 * background, VUs here are plain objects, so the new VU runs that very iteration.
 *
 * The `vus` gauge is the number of VUs busy with an iteration; `vus_max` those allocated.
 *
 * @example
 * return runArrivalRate('constant-arrival-rate', env, { nextOffsetMs, durationMs: 60_000, preAllocatedVUs: 10, maxVUs: 50, gracefulStopMs: 30_000 });
 */
export async function runArrivalRate(
  type: ExecutorType,
  env: ExecutorEnv,
  plan: ArrivalRatePlan,
): Promise<ExecutorSummary> {
  const run = new RunState(type, env);
  const { clock } = run;
  const start = run.startedAtMs;
  const stop = run.stop.signal;
  const free: Vu[] = [];
  for (let i = 0; i < plan.preAllocatedVUs; i++) free.push(run.allocateVu());
  let busy = 0;
  run.setVus(0);

  const endMs = start + plan.durationMs;
  let taken = 0; // offsets taken from the schedule so far
  const next = () => {
    const o = plan.nextOffsetMs();
    if (o !== undefined) taken++;
    return o;
  };
  for (let offset = next(); offset !== undefined; ) {
    const intendedStartMs = start + offset;
    // Always through the clock, also when behind: it yields, so finished VUs come back.
    await clock.sleepUntil(intendedStartMs, stop);
    if (stop.aborted) break;
    if (clock.now() >= endMs) {
      // The duration is over: no new iteration starts (as k6). This one and the rest of the
      // schedule are dropped, counted without walking it.
      run.drop(plan.scheduled - taken + 1);
      break;
    }
    const vu = free.pop() ?? (run.vus.length < plan.maxVUs ? run.allocateVu() : undefined);
    if (vu === undefined) {
      // No VU, and none can come back before the next yield: this iteration and every other
      // one already due are dropped now, in one go. Yielding once per missed iteration (as
      // k6 never does) costs a macrotask each and falls ever further behind a high rate.
      const nowMs = clock.now();
      do {
        run.drop();
        offset = next();
      } while (offset !== undefined && start + offset <= nowMs);
      continue;
    }
    run.setVus(++busy);
    void run.iterate(vu, intendedStartMs).then(() => {
      free.push(vu);
      run.setVus(--busy);
    });
    offset = next();
  }
  await run.sleepUntilOr(endMs);
  return run.finish(endMs + plan.gracefulStopMs);
}
