import type { ExecutorType } from '../../../scenarios/model/executors/common.js';
import { createFifo } from '../../util/fifo.js';
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
 * At most this many VUs are set up at once during a run. Growth follows need (one new VU per
 * iteration waiting for one), and this cap keeps a stall (a GC pause, a slow second) from
 * turning into a burst of new VUs whose set-up requests would load the target further.
 */
export const MAX_PARALLEL_VU_INITS = 8;

/**
 * How late after the end of the duration the loop may still start an iteration that was due
 * before it, ms. A timer fires a tick late (the last iteration of `1000/s for 10s` is due at
 * 9,999 ms and wakes at ~10,000.4): that is no drop. A loop further behind than this at the
 * end was overloaded, and what it could not start shows as dropped.
 */
export const END_GRACE_MS = 100;

/**
 * The open-model loop shared by `constant-arrival-rate` and `ramping-arrival-rate`. For each
 * intended start it sleeps until that time (or not at all if it is behind), then runs the
 * iteration on a free VU. The `preAllocatedVUs` exist from the start (on a target without
 * limits the run's setup has initialised them; elsewhere each VU's first iteration does what
 * its set-up would have). With none free, the iteration waits for the next VU that comes free, and
 * a new VU is added and set up in the background (`initVu`, timed as `vu_init_duration`),
 * one per waiting iteration, at most {@link MAX_PARALLEL_VU_INITS} at once, up to `maxVUs`.
 * So VUs grow only as far as concurrency needs, and a set-up never delays the schedule loop;
 * the wait is charged to the iteration (its latency counts from the intended start). When no
 * VU can come (`maxVUs` reached and as many iterations already waiting as can be served), the
 * iteration is dropped, counted in `dropped_iterations`, as are those still waiting at the end
 * of the duration.
 *
 * The `vus` gauge is the number of VUs busy with an iteration; `vus_max` those allocated.
 *
 * @example
 * return runArrivalRate('constant-arrival-rate', env, { nextOffsetMs, scheduled, durationMs: 60_000, preAllocatedVUs: 10, maxVUs: 50, gracefulStopMs: 30_000 });
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
  // Intended starts waiting for a VU, oldest first.
  const waiting = createFifo<number>();
  let busy = 0;
  let initialising = 0;
  let ended = false;
  run.setVus(0);

  const startOn = (vu: Vu, intendedStartMs: number): void => {
    run.setVus(++busy);
    void run.iterate(vu, intendedStartMs).then(() => {
      run.setVus(--busy);
      release(vu);
    });
  };
  // A VU that comes free (its iteration ended, or its set-up did) takes the oldest waiting iteration.
  const release = (vu: Vu): void => {
    if (!ended && !run.stopping && waiting.length > 0) startOn(vu, waiting.shift()!);
    else free.push(vu);
  };
  const growIfNeeded = (): void => {
    while (
      initialising < waiting.length &&
      initialising < MAX_PARALLEL_VU_INITS &&
      run.vus.length < plan.maxVUs &&
      !ended &&
      !run.stopping
    ) {
      const vu = run.allocateVu();
      const init = run.initVu(vu);
      if (init === null) {
        release(vu);
        continue;
      }
      initialising++;
      void init.then(() => {
        initialising--;
        release(vu);
        growIfNeeded();
      });
    }
  };

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
    if (clock.now() >= endMs + END_GRACE_MS) {
      // The duration is long over: no new iteration starts (as k6). This one and the rest of
      // the schedule are dropped, counted without walking it. (Every intended start is before
      // the end; one the loop reaches a timer tick late is still started, late, and measured
      // from its intended start.)
      run.drop(plan.scheduled - taken + 1);
      break;
    }
    const vu = free.pop();
    if (vu !== undefined) {
      startOn(vu, intendedStartMs);
    } else if (waiting.length < plan.maxVUs - run.vus.length + initialising) {
      // A VU can still come for it: a new one (up to maxVUs), or one being set up.
      waiting.push(intendedStartMs);
      growIfNeeded();
    } else {
      // No VU can come before the next yield: this iteration and every other one already due
      // are dropped now, in one go. Yielding once per missed iteration (as k6 never does)
      // costs a macrotask each and falls ever further behind a high rate.
      const nowMs = clock.now();
      do {
        run.drop();
        offset = next();
      } while (offset !== undefined && start + offset <= nowMs);
      continue;
    }
    offset = next();
  }
  await run.sleepUntilOr(endMs);
  // Iterations still waiting for a VU at the end never start: dropped, as k6 drops them.
  ended = true;
  run.drop(waiting.length);
  waiting.clear();
  return run.finish(endMs + plan.gracefulStopMs);
}
