import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import { type Scenario, validateScenario } from '../../../scenarios/model/scenario.js';

/** Command-line overrides of a scenario's load shape. */
export interface LoadOverrides {
  /** VUs of every closed-model executor; pre-allocated VUs of arrival-rate ones. */
  vus?: number;
  /** Iterations per second of arrival-rate executors (ramping ones are scaled to peak here). */
  rate?: number;
  /** Total length of the run, ms: every executor's timeline is scaled to fit. */
  durationMs?: number;
  seed?: number;
}

/** How long an executor runs by its own schedule (iteration-bounded ones: `null`). */
function naturalLengthMs(e: ExecutorConfig): number | null {
  switch (e.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return e.duration;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return e.stages.reduce((sum, s) => sum + s.duration, 0);
    default:
      return null;
  }
}

function scaleTimeline(e: ExecutorConfig, factor: number, totalMs: number): ExecutorConfig {
  const startTime = Math.round(e.startTime * factor);
  switch (e.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return { ...e, startTime, duration: Math.max(1, Math.round(e.duration * factor)) };
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return {
        ...e,
        startTime,
        stages: e.stages.map((s) => ({ ...s, duration: Math.round(s.duration * factor) })),
      };
    default:
      return { ...e, startTime, maxDuration: Math.max(1, totalMs - startTime) };
  }
}

function withVus(e: ExecutorConfig, vus: number): ExecutorConfig {
  switch (e.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return {
        ...e,
        vus,
        ...(e.executor === 'shared-iterations' && { iterations: Math.max(e.iterations, vus) }),
      };
    case 'ramping-vus': {
      const peak = Math.max(e.startVUs, ...e.stages.map((s) => s.target));
      const scale = peak === 0 ? 0 : vus / peak;
      return {
        ...e,
        startVUs: Math.round(e.startVUs * scale),
        stages: e.stages.map((s) => ({ ...s, target: Math.round(s.target * scale) })),
      };
    }
    default:
      return { ...e, preAllocatedVUs: vus, maxVUs: Math.max(e.maxVUs ?? vus, vus) };
  }
}

function withRate(e: ExecutorConfig, rate: number): ExecutorConfig {
  switch (e.executor) {
    case 'constant-arrival-rate':
      return { ...e, rate: (rate * e.timeUnit) / 1_000 };
    case 'ramping-arrival-rate': {
      const peak = Math.max(e.startRate, ...e.stages.map((s) => s.target));
      const scale = peak === 0 ? 1 : (rate * e.timeUnit) / 1_000 / peak;
      return {
        ...e,
        startRate: e.startRate * scale,
        stages: e.stages.map((s) => ({ ...s, target: s.target * scale })),
      };
    }
    default:
      return e;
  }
}

/**
 * Applies `--vus`, `--rate`, `--duration` and `--seed` to a validated scenario and validates
 * the result again (so an override that breaks a rule, say VUs above `maxVUs`, is reported
 * like a bad file). `--duration` scales every executor's timeline — start times, durations,
 * stages — by one factor, so a 10-minute `spike` keeps its shape in 20 seconds.
 *
 * @example
 * const short = applyOverrides(scenario, { durationMs: 5_000, vus: 4 });
 */
export function applyOverrides(scenario: Scenario, overrides: LoadOverrides): Scenario {
  let executors = Object.entries(scenario.executors);
  if (overrides.durationMs !== undefined) {
    const lengths = executors.map(([, e]) => {
      const own = naturalLengthMs(e);
      return own === null ? null : e.startTime + own;
    });
    const known = lengths.filter((l): l is number => l !== null);
    const natural = known.length > 0 ? Math.max(...known) : overrides.durationMs;
    const factor = overrides.durationMs / natural;
    executors = executors.map(([name, e]) => [name, scaleTimeline(e, factor, overrides.durationMs!)]);
  }
  if (overrides.vus !== undefined)
    executors = executors.map(([name, e]) => [name, withVus(e, overrides.vus!)]);
  if (overrides.rate !== undefined)
    executors = executors.map(([name, e]) => [name, withRate(e, overrides.rate!)]);
  const changed = {
    ...scenario,
    executors: Object.fromEntries(executors),
    ...(overrides.seed !== undefined && {
      seed: overrides.seed,
      mock: { ...scenario.mock, seed: overrides.seed },
    }),
  };
  return validateScenario(changed, `scenario ${scenario.name} with the command-line overrides`);
}
