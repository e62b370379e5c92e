import { z } from 'zod';
import {
  DURATION_HINT,
  formatDurationMs,
  MAX_DURATION_MS,
  parseDurationMs,
} from '../../harness/util/duration.js';

const expression = z.string({ error: 'expected a threshold expression such as "p(99)<500"' }).min(1, {
  error: 'expected a threshold expression such as "p(99)<500"',
});

/**
 * A threshold with k6's options. The expression itself is parsed by the thresholds module.
 *
 * @example
 * thresholdObjectSchema.parse({ threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '10s' })
 */
export const thresholdObjectSchema = z.strictObject({
  threshold: expression,
  /** Stop the run as soon as this threshold fails. Default false. */
  abortOnFail: z.boolean({ error: 'expected true or false' }).optional(),
  /** Pass (rather than fail) when the metric has no data at the end of the run. Default false. */
  allowNoData: z.boolean({ error: 'expected true or false' }).optional(),
  /** With `abortOnFail`: wait this long into the run before judging, as a k6 duration string. */
  delayAbortEval: z
    .string({ error: `expected ${DURATION_HINT} as a string` })
    .refine((s) => parseDurationMs(s) !== undefined, { error: `expected ${DURATION_HINT} as a string` })
    .refine((s) => !((parseDurationMs(s) ?? 0) > MAX_DURATION_MS), {
      error: `expected a duration of at most ${formatDurationMs(MAX_DURATION_MS)} (${MAX_DURATION_MS} ms)`,
    })
    .optional(),
});

/**
 * Thresholds as k6 writes them: metric (with optional tag filter) → list of expressions or
 * `{threshold, abortOnFail?, delayAbortEval?}`. Only the shape is checked here.
 *
 * @example
 * thresholdsSchema.parse({ 'op_duration{op:send_message}': ['p(99)<500', { threshold: 'rate<0.01', abortOnFail: true }] })
 */
export const thresholdsSchema = z.record(
  z.string().min(1, { error: 'expected a metric name' }),
  z.array(
    z.union([z.string(), thresholdObjectSchema], {
      error: 'expected an expression string or {threshold, abortOnFail?, delayAbortEval?}',
    }),
    { error: 'expected a list of thresholds, e.g. ["p(99)<500"]' },
  ),
  { error: 'expected an object of metric → list of thresholds' },
);
/** Thresholds of a scenario. */
export type Thresholds = Record<
  string,
  (string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string; allowNoData?: boolean })[]
>;
