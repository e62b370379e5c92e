import type { z } from 'zod';
import { formatDurationMs, MAX_DURATION_MS } from '../../harness/util/duration.js';
import { formatNumber } from '../../harness/util/format-number.js';

/**
 * The largest sizes one nexus-harness process accepts. Sizes beyond them cannot run: they
 * exhaust the heap or spin timers long before the first iteration. Each bound leaves room for
 * what a user may sensibly ask of one process; more load than this belongs on several
 * processes (or machines: see the k6 export).
 *
 * - `vus` 20,000, for the VUs of all executors together: one VU costs about 100 KB here
 *   (2,000 VUs of `smoke` peaked at 290 MB RSS, with the mock in the same process), so
 *   20,000 is about 2 GB, half of Node's default heap limit; and one process saturates its
 *   core long before (that same run drove ~1,700 ops/s on this machine's two cores).
 * - `ratePerSecond` 100,000 iterations/s for one executor (`rate` and stage `target`s per
 *   `timeUnit`, converted to per second): 50× what the engine's benchmark drives, so the
 *   bound is never the reason a real run is slow, while 1e9/s (which allocates without end)
 *   is refused.
 * - `iterations` 10,000,000 per executor (`per-vu-iterations`: `vus × iterations`): the
 *   auditor keeps a record of every effectful operation and the mock one per attempt.
 * - `durationMs` 24 h for any one duration, and for an executor's `startTime` plus its
 *   length (Node timers overflow at 2³¹ ms ≈ 24.8 days; a day is the longest soak we expect).
 *
 * @example
 * if (vus > LIMITS.vus) throw new UsageError(`--vus ${vus} is above the limit of ${LIMITS.vus}.`);
 */
export const LIMITS = {
  vus: 20_000,
  ratePerSecond: 100_000,
  iterations: 10_000_000,
  durationMs: MAX_DURATION_MS,
} as const;

/** One bound exceeded: where (relative to the executors record) and what. */
interface LimitProblem {
  path: (string | number)[];
  message: string;
  /** A VU bound: then the sum over executors is not reported too. */
  vus?: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fmt = (n: number) => formatNumber(n);

/**
 * The most VUs an executor config can run at once (its `vus`, its stages' peak, its `maxVUs`),
 * or 0 when the config is not valid enough to tell. Reads unparsed input too.
 *
 * @example
 * peakVus({ executor: 'ramping-vus', startVUs: 0, stages: [{ target: 50 }, { target: 10 }] }) // 50
 */
export function peakVus(config: Record<string, unknown>): number {
  switch (config.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return num(config.vus) ?? 1;
    case 'ramping-vus': {
      const stages = Array.isArray(config.stages) ? config.stages : [];
      const targets = stages.map((s) => num((s as Record<string, unknown> | null)?.target) ?? 0);
      return Math.max(num(config.startVUs) ?? 1, ...targets);
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return Math.max(num(config.maxVUs) ?? 0, num(config.preAllocatedVUs) ?? 0);
    default:
      return 0;
  }
}

/** Every bound one executor config exceeds. `config` may be partly invalid: unreadable fields are skipped. */
function executorProblems(config: Record<string, unknown>): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const over = (path: (string | number)[], value: number | undefined, limit: number, what: string) => {
    if (value !== undefined && value > limit) {
      problems.push({ path, message: `expected at most ${fmt(limit)} ${what}`, vus: limit === LIMITS.vus });
    }
  };
  for (const field of ['vus', 'startVUs', 'preAllocatedVUs']) {
    over([field], num(config[field]), LIMITS.vus, 'VUs (the limit of one process)');
  }
  // maxVUs defaults to preAllocatedVUs: name it only when it is its own problem.
  if (!((num(config.preAllocatedVUs) ?? 0) > LIMITS.vus)) {
    over(['maxVUs'], num(config.maxVUs), LIMITS.vus, 'VUs (the limit of one process)');
  }
  const stages = Array.isArray(config.stages) ? (config.stages as unknown[]) : [];
  const arrival = config.executor === 'constant-arrival-rate' || config.executor === 'ramping-arrival-rate';
  const timeUnit = num(config.timeUnit) ?? 1_000;
  const perUnit = timeUnit > 0 ? Math.floor((LIMITS.ratePerSecond * timeUnit) / 1_000) : LIMITS.ratePerSecond;
  const rateWhat = `iterations per ${formatDurationMs(timeUnit)} timeUnit (${fmt(LIMITS.ratePerSecond)}/s, the limit of one process)`;
  stages.forEach((stage, i) => {
    const target = num((stage as Record<string, unknown> | null)?.target);
    if (arrival) over(['stages', i, 'target'], target, perUnit, rateWhat);
    else if (config.executor === 'ramping-vus')
      over(['stages', i, 'target'], target, LIMITS.vus, 'VUs (the limit of one process)');
  });
  if (arrival) {
    over(['rate'], num(config.rate), perUnit, rateWhat);
    over(['startRate'], num(config.startRate), perUnit, rateWhat);
  }
  const iterations = num(config.iterations);
  if (config.executor === 'per-vu-iterations' && iterations !== undefined) {
    const vus = num(config.vus) ?? 1;
    if (iterations * vus > LIMITS.iterations && iterations <= LIMITS.iterations) {
      problems.push({
        path: ['iterations'],
        message: `expected vus × iterations (${fmt(vus)} × ${fmt(iterations)}) to be at most ${fmt(LIMITS.iterations)}`,
      });
    } else over(['iterations'], iterations, LIMITS.iterations, 'iterations per executor');
  } else over(['iterations'], iterations, LIMITS.iterations, 'iterations per executor');
  // startTime + the executor's own length: the latest moment it starts an iteration.
  const start = num(config.startTime) ?? 0;
  const length =
    num(config.duration) ??
    num(config.maxDuration) ??
    (stages.length > 0
      ? stages.reduce<number>(
          (sum, s) => sum + (num((s as Record<string, unknown> | null)?.duration) ?? 0),
          0,
        )
      : undefined);
  if (length !== undefined && start + length > LIMITS.durationMs) {
    const field =
      config.duration !== undefined
        ? 'duration'
        : config.maxDuration !== undefined
          ? 'maxDuration'
          : 'stages';
    problems.push({
      path: [field],
      message:
        `expected startTime + ${field === 'stages' ? 'the stages’ durations' : field} to be at most ` +
        `${formatDurationMs(LIMITS.durationMs)} (it is ${formatDurationMs(start + length)})`,
    });
  }
  return problems;
}

/**
 * Checks the executors of a scenario against {@link LIMITS}: each size field of each
 * executor, and the VUs of all executors together. Used as a `superRefine` of the scenario's
 * `executors` record, so every problem is reported with its path
 * (`executors.main.vus: expected at most 20,000 VUs … (got 1000000000)`).
 *
 * @example
 * z.record(z.string(), executorConfigSchema).superRefine(checkExecutorLimits, { when: () => true })
 */
export function checkExecutorLimits(executors: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (typeof executors !== 'object' || executors === null) return;
  let total = 0;
  let reported = false;
  for (const [name, config] of Object.entries(executors)) {
    if (typeof config !== 'object' || config === null) continue;
    const c = config as Record<string, unknown>;
    for (const p of executorProblems(c)) {
      ctx.addIssue({ code: 'custom', path: [name, ...p.path], message: p.message, input: c });
      reported ||= p.vus === true;
    }
    total += peakVus(c);
  }
  // The sum only when no single executor is already over (that problem says enough).
  if (total > LIMITS.vus && !reported) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `expected the executors' VUs together to be at most ${fmt(LIMITS.vus)} (they are ${fmt(total)})`,
      input: executors,
    });
  }
}
