/**
 * The metric vocabulary: the built-in metrics (what the engine records) and the custom ones a
 * scenario declares (`metrics: { login_time: 'trend' }`) for its scripted iteration. It sits
 * in the scenario model because a scenario names metrics (its thresholds, its declarations)
 * and must be checked against them before any run; the engine re-exports it.
 */
import { z } from 'zod';

/** How a metric aggregates, with k6's names. */
export type MetricKind = 'counter' | 'trend' | 'rate' | 'gauge';

/**
 * Every metric the engine records. k6's names where k6 has the concept; ours for the rest.
 * Trends are in milliseconds unless the name says otherwise.
 */
export const METRICS = {
  // k6-named
  http_reqs: { kind: 'counter', unit: 'requests', help: 'Attempts on the wire' },
  http_req_duration: {
    kind: 'trend',
    unit: 'ms',
    help: 'Service time of one attempt: on the wire until the body is read',
  },
  http_req_failed: {
    kind: 'rate',
    unit: 'ratio',
    help: 'Attempts with a network error or a 5xx (429 is not a failure)',
  },
  iterations: { kind: 'counter', unit: 'iterations', help: 'Iterations started and completed' },
  iteration_duration: { kind: 'trend', unit: 'ms', help: 'One iteration, from its intended start' },
  dropped_iterations: {
    kind: 'counter',
    unit: 'iterations',
    help: 'Iterations an arrival-rate executor could not start on time',
  },
  checks: {
    kind: 'rate',
    unit: 'ratio',
    help: "Passed assertions of a scripted iteration's check(), tagged check:<name>",
  },
  vus: { kind: 'gauge', unit: 'VUs', help: 'Active virtual users' },
  vus_max: { kind: 'gauge', unit: 'VUs', help: 'Allocated virtual users' },
  // ours
  schedule_lateness: {
    kind: 'trend',
    unit: 'ms',
    help: "How late the executor started an iteration after its intended start: the generator's own punctuality",
  },
  vu_init_duration: {
    kind: 'trend',
    unit: 'ms',
    help: "Set-up of a VU an arrival-rate executor added during the run (its session), off the schedule's critical path; the VUs prepared before the clock started are in the result's setup",
  },
  completion: {
    kind: 'rate',
    unit: 'ratio',
    help: 'Demanded iterations that ran to their end; dropped, interrupted and never-started ones count against it (executors with a count or schedule only)',
  },
  script_errors: {
    kind: 'counter',
    unit: 'iterations',
    help: 'Scripted iterations that threw, tagged error:<code or name: message> (bounded)',
  },
  ops: { kind: 'counter', unit: 'operations', help: 'Operations completed (successful or not)' },
  op_failed: { kind: 'rate', unit: 'ratio', help: 'Operations that failed after all their attempts' },
  op_duration: {
    kind: 'trend',
    unit: 'ms',
    help: 'Operation latency from its intended start (coordinated-omission correct)',
  },
  queue_time: {
    kind: 'trend',
    unit: 'ms',
    help: 'Time an attempt waited inside the client (limiter, batcher, pool)',
  },
  reply_latency: {
    kind: 'trend',
    unit: 'ms',
    help: 'From a message being accepted to its assistant reply being seen',
  },
  rate_limited: { kind: 'counter', unit: 'responses', help: '429 responses' },
  attempt_errors: {
    kind: 'counter',
    unit: 'attempts',
    help: "Failed attempts by op and reason: the exact status of an answer that is neither 2xx nor 429 ('404', '503'), or the error code when none came (ECONNRESET, NH_CLIENT_TIMEOUT); reasons bounded, one example each in the result's errorExamples",
  },
  app_5xx: {
    kind: 'rate',
    unit: 'ratio',
    help: 'Answers of the chat app (target app) with a 5xx: its own failures and upstream ones it passed on (502); requests it never answered are not counted',
  },
  retries: { kind: 'counter', unit: 'attempts', help: 'Attempts after the first of an operation' },
  retry_amplification: { kind: 'gauge', unit: 'ratio', help: 'Attempts ÷ operations' },
  retry_after_violations: {
    kind: 'counter',
    unit: 'requests',
    help: 'Requests sent before an announced Retry-After or reset',
  },
  duplicates: {
    kind: 'counter',
    unit: 'operations',
    help: 'Operations whose effect the ledger shows more than once',
  },
  lost: {
    kind: 'counter',
    unit: 'operations',
    help: 'Operations reported successful whose effect the ledger never shows',
  },
} as const satisfies Record<string, { kind: MetricKind; unit: string; help: string }>;

/** The name of a built-in metric (a key of {@link METRICS}). */
export type MetricName = keyof typeof METRICS;

/**
 * Custom metrics a scenario declares: name → kind. Declared up front, as k6 declares
 * `new Trend('name')` in its init context, so thresholds on them are checked before the run.
 *
 * @example
 * const declared: MetricDeclarations = { login_time: 'trend', logins: 'counter' };
 */
export type MetricDeclarations = Readonly<Record<string, MetricKind>>;

/**
 * A metric catalogue: name → kind (and, for built-ins, unit and help).
 *
 * @example
 * parseThresholds(input, metricCatalogue({ my_metric: 'trend' }));
 */
export type MetricCatalogue = Readonly<Record<string, { readonly kind: MetricKind; readonly unit?: string }>>;

/** k6's rule for metric names (letters, digits, `_`, not starting with a digit; at most 128). */
const CUSTOM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const KINDS = ['counter', 'trend', 'rate', 'gauge'] as const satisfies readonly MetricKind[];

/**
 * The `metrics` block of a scenario: custom metric name → `'counter' | 'trend' | 'rate' | 'gauge'`.
 * Names follow k6's rule and must not be a built-in metric's (`checks`, `op_duration`, …).
 *
 * @example
 * metricDeclarationsSchema.parse({ login_time: 'trend' });
 */
export const metricDeclarationsSchema = z.record(
  z
    .string()
    .regex(CUSTOM_NAME, {
      error:
        'expected a metric name of letters, digits and _ (not starting with a digit, at most 128 characters)',
    })
    .refine((name) => !Object.hasOwn(METRICS, name), {
      error: (issue) => {
        const name = String(issue.input);
        const builtin = METRICS[name as MetricName];
        return `'${name}' is a built-in metric (${builtin.kind}: ${builtin.help}); give the custom metric another name`;
      },
    }),
  z.enum(KINDS, { error: `expected one of ${KINDS.join(', ')}` }),
  { error: "expected an object of metric name → kind, e.g. { login_time: 'trend' }" },
);

/**
 * The built-in metrics plus `declared` custom ones: what thresholds and the recorder accept.
 *
 * @example
 * metricCatalogue({ login_time: 'trend' }).login_time; // { kind: 'trend', unit: 'ms' }
 */
export function metricCatalogue(declared: MetricDeclarations = {}): MetricCatalogue {
  const custom: Record<string, { kind: MetricKind; unit: string }> = {};
  for (const [name, kind] of Object.entries(declared)) {
    // A built-in wins: validation refuses such a declaration, and a result must not redefine one.
    if (!Object.hasOwn(METRICS, name))
      custom[name] = { kind, unit: kind === 'trend' ? 'ms' : kind === 'rate' ? 'ratio' : '' };
  }
  return { ...METRICS, ...custom };
}
