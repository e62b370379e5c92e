import { z } from 'zod';
import { durationSchema } from '../../../harness/util/duration.js';

/**
 * k6's executor names.
 *
 * @example
 * if (!EXECUTOR_TYPES.includes(name as ExecutorType)) throw new Error(`unknown executor ${name}`);
 */
export const EXECUTOR_TYPES = [
  'constant-vus',
  'ramping-vus',
  'per-vu-iterations',
  'shared-iterations',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const;
/** One of {@link EXECUTOR_TYPES}. */
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

/**
 * Default `gracefulStop`, ms (k6's 30 s).
 *
 * @example
 * const gracefulStopMs = config.gracefulStop ?? DEFAULT_GRACEFUL_STOP_MS;
 */
export const DEFAULT_GRACEFUL_STOP_MS = 30_000;
/**
 * Default `maxDuration` of the iteration-count executors, ms (k6's 10 min).
 *
 * @example
 * const maxDurationMs = config.maxDuration ?? DEFAULT_MAX_DURATION_MS;
 */
export const DEFAULT_MAX_DURATION_MS = 600_000;

/**
 * Fields every executor shares (k6's): `startTime` (when it starts, relative to the start of
 * the run; default 0) and `gracefulStop` (how long in-flight iterations may finish after the
 * executor's end before their `signal` aborts; default 30 s). Both are durations in ms after
 * parsing.
 *
 * @example
 * z.strictObject({ executor: z.literal('constant-vus'), ...commonFields })
 */
export const commonFields = {
  startTime: durationSchema.default(0),
  gracefulStop: durationSchema.default(DEFAULT_GRACEFUL_STOP_MS),
};

/**
 * An integer ≥ `min`, with a message saying so (the formatter adds the value found).
 *
 * @example
 * z.strictObject({ vus: intAtLeast(1).default(1) })
 */
export function intAtLeast(min: number) {
  const message = min === 1 ? 'expected a positive integer' : `expected an integer ≥ ${min}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(Number.MAX_SAFE_INTEGER, { error: message });
}

/**
 * A finite number > 0 (`rate`), or ≥ 0 with `allowZero` (a stage `target` rate).
 *
 * @example
 * z.strictObject({ rate: positiveNumber() })
 */
export function positiveNumber(allowZero = false) {
  const message = allowZero ? 'expected a number ≥ 0' : 'expected a positive number';
  const n = z.number({ error: message }).refine(Number.isFinite, { error: message });
  return allowZero ? n.refine((v) => v >= 0, { error: message }) : n.refine((v) => v > 0, { error: message });
}
