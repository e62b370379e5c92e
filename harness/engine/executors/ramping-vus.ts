import type { RampingVusConfig } from '../../../scenarios/model/executors/ramping-vus.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';
import { linkSignals, RunState, type Vu } from './run-state.js';

/**
 * A change of the VU count: from `atMs` after the start, `vus` VUs loop.
 *
 * @example
 * const steps: VuStep[] = rampingVusSteps(config);
 */
export interface VuStep {
  atMs: number;
  vus: number;
}

/**
 * The VU count over time, as k6 computes it: during a linear stage the count changes by one
 * at each moment the line crosses a whole number (so it is `floor` of the line while ramping
 * up, `ceil` while ramping down); a stage of duration 0 jumps.
 *
 * @example
 * rampingVusSteps({ startVUs: 0, stages: [{ duration: 3_000, target: 3 }] })
 * // [{atMs: 0, vus: 0}, {atMs: 1000, vus: 1}, {atMs: 2000, vus: 2}, {atMs: 3000, vus: 3}]
 */
export function rampingVusSteps(config: {
  startVUs: number;
  stages: readonly { duration: number; target: number }[];
}): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, vus: config.startVUs }];
  let from = config.startVUs;
  let t = 0;
  for (const stage of config.stages) {
    const end = t + stage.duration;
    const diff = stage.target - from;
    if (diff !== 0 && stage.duration === 0) steps.push({ atMs: end, vus: stage.target });
    else if (diff !== 0) {
      const dir = Math.sign(diff);
      for (let v = from + dir; v !== stage.target + dir; v += dir) {
        steps.push({ atMs: end - (stage.duration * (stage.target - v)) / diff, vus: v });
      }
    }
    from = stage.target;
    t = end;
  }
  return steps;
}

interface RampVu extends Vu {
  active: boolean;
  looping: boolean;
  busy: boolean;
  /** Cancels the pending ramp-down abort of the current iteration. */
  rampDown: AbortController | undefined;
}

/**
 * Runs `ramping-vus`. VUs are allocated up front (the largest count of any stage, as k6's
 * `vus_max`); VU n loops while the current count is ≥ n. At the end of the last stage no new
 * iterations start and in-flight ones get `gracefulStop`. The `vus` gauge counts VUs looping,
 * including those finishing an iteration after being ramped down.
 *
 * @example
 * await runRampingVus(
 *   rampingVusSchema.parse({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '30s', target: 20 }, { duration: '10s', target: 0 }] }),
 *   env,
 * );
 */
export async function runRampingVus(config: RampingVusConfig, env: ExecutorEnv): Promise<ExecutorSummary> {
  const run = new RunState('ramping-vus', env);
  const { clock } = run;
  const start = run.startedAtMs;
  const steps = rampingVusSteps(config);
  const maxVus = Math.max(...steps.map((s) => s.vus));
  const vus: RampVu[] = [];
  for (let i = 0; i < maxVus; i++) {
    vus.push(
      Object.assign(run.allocateVu(), { active: false, looping: false, busy: false, rampDown: undefined }),
    );
  }
  let looping = 0;
  run.setVus(0);

  const loop = async (vu: RampVu) => {
    vu.looping = true;
    run.setVus(++looping);
    while (!run.stopping && vu.active) {
      vu.busy = true;
      await run.iterate(vu, clock.now());
      vu.busy = false;
      vu.rampDown?.abort();
      vu.rampDown = undefined;
      if (vu.ctl.signal.aborted && !run.stop.signal.aborted) vu.ctl = new AbortController();
      await clock.sleepUntil(clock.now(), run.stop.signal);
    }
    vu.looping = false;
    if (!run.stopping) run.setVus(--looping);
  };

  const rampDown = (vu: RampVu) => {
    vu.active = false;
    if (!vu.busy) return;
    const cancel = linkSignals(run.stop.signal);
    vu.rampDown = cancel;
    const ctl = vu.ctl;
    void clock.sleepUntil(clock.now() + config.gracefulRampDown, cancel.signal).then(() => {
      cancel.dispose();
      if (!cancel.signal.aborted && !vu.active) ctl.abort();
    });
  };

  const setTarget = (target: number) => {
    for (const vu of vus) {
      if (vu.id <= target && !vu.active) {
        vu.active = true;
        vu.rampDown?.abort();
        vu.rampDown = undefined;
        if (!vu.looping) void loop(vu);
      } else if (vu.id > target && vu.active) {
        rampDown(vu);
      }
    }
  };

  for (const step of steps) {
    await clock.sleepUntil(start + step.atMs, run.stop.signal);
    if (run.stop.signal.aborted) break;
    setTarget(step.vus);
  }
  const endMs = start + config.stages.reduce((sum, s) => sum + s.duration, 0);
  await run.sleepUntilOr(endMs);
  for (const vu of vus) {
    vu.rampDown?.abort();
    vu.rampDown = undefined;
  }
  return run.finish(endMs + config.gracefulStop);
}
