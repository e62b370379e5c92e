/**
 * Thresholds as scenarios and flags write them, in k6's shape:
 *
 * ```ts
 * {
 *   'http_req_duration{op:send_message}': ['p(99)<500', 'avg<200'],
 *   op_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
 * }
 * ```
 *
 * Which aggregations apply depends on the metric's kind: trend `p(N)`, `avg`, `min`, `max`,
 * `med`, `count`; counter `count`, `rate` (per second); rate `rate`; gauge `value`.
 */
import { z } from 'zod';
import { didYouMean } from '../../util/did-you-mean.js';
import { formatDurationMs, MAX_DURATION_MS, parseDurationMs } from '../../util/duration.js';
import { parseWithSchema } from '../../util/validation.js';
import { METRICS, type MetricCatalogue, type MetricKind } from '../types.js';
import {
  type Aggregation,
  formatAggregation,
  parseThresholdExpression,
  type ThresholdExpression,
} from './expression.js';
import { parseThresholdKey } from './key.js';

/**
 * One threshold, validated and ready to evaluate.
 *
 * @example
 * const [t] = parseThresholds({ 'op_duration{op:send}': ['p(99)<500'] });
 * t.metric; // 'op_duration'; t.filter → { op: 'send' }; t.kind → 'trend'
 */
export interface ParsedThreshold {
  /** The key as written (trimmed), e.g. `http_req_duration{op:send}`. */
  key: string;
  metric: string;
  kind: MetricKind;
  /** Tags a tag set must include to count; null for every tag set. */
  filter: Readonly<Record<string, string>> | null;
  /** The expression as written (trimmed), e.g. `p(99) < 500`. */
  source: string;
  expression: ThresholdExpression;
  /** Stop the run as soon as this threshold fails (after `delayAbortEvalMs`). */
  abortOnFail: boolean;
  /** Run time before a failure may abort, ms (k6's `delayAbortEval`). 0 when not given. */
  delayAbortEvalMs: number;
  /**
   * At the end of a run a threshold whose metric has no data fails ("no data": nothing was
   * measured, so nothing passed) unless this is set. Default false.
   */
  allowNoData: boolean;
}

/**
 * Which aggregations each metric kind allows.
 *
 * @example
 * AGGREGATIONS_BY_KIND.counter; // ['count', 'rate']
 */
export const AGGREGATIONS_BY_KIND: Readonly<Record<MetricKind, readonly string[]>> = {
  trend: ['p(N)', 'avg', 'min', 'max', 'med', 'count'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value'],
};

function allows(kind: MetricKind, aggregation: Aggregation): boolean {
  return AGGREGATIONS_BY_KIND[kind].includes(aggregation.kind === 'p' ? 'p(N)' : aggregation.kind);
}

function list(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

export type { MetricCatalogue };

/** ` (did you mean 'op_duration'?)` for a misspelt metric, or `''`. */
function nearMetric(metric: string, catalogue: MetricCatalogue): string {
  const near = didYouMean(metric, Object.keys(catalogue));
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}

const OBJECT_KEYS = new Set(['threshold', 'abortOnFail', 'delayAbortEval', 'allowNoData']);

function schemaFor(catalogue: MetricCatalogue) {
  return z
    .record(z.string(), z.unknown(), {
      error: 'thresholds must be an object of metric name → array of expressions',
    })
    .transform((input, ctx) => {
      const out: ParsedThreshold[] = [];
      const problem = (path: PropertyKey[], message: string) =>
        ctx.addIssue({ code: 'custom', path: path as (string | number)[], message, input });
      for (const [rawKey, value] of Object.entries(input)) {
        const key = rawKey.trim();
        const parsedKey = parseThresholdKey(rawKey);
        let kind: MetricKind | null = null;
        if (!parsedKey.ok) problem([rawKey], `bad threshold key: ${parsedKey.error}`);
        else {
          // Own entries only: `toString` or `constructor` is not a metric because objects have one.
          kind = Object.hasOwn(catalogue, parsedKey.key.metric)
            ? catalogue[parsedKey.key.metric]!.kind
            : null;
          if (!kind) {
            problem(
              [rawKey],
              `unknown metric '${parsedKey.key.metric}'${nearMetric(parsedKey.key.metric, catalogue)}; ` +
                `known metrics: ${Object.keys(catalogue).join(', ')}. ` +
                `A custom metric of a scripted iteration is declared in the scenario: metrics: { ${parsedKey.key.metric}: 'trend' } (or counter, rate, gauge)`,
            );
          }
        }
        if (!Array.isArray(value)) {
          problem([rawKey], "expected an array of expressions, e.g. ['p(95)<200']");
          continue;
        }
        value.forEach((item: unknown, index) => {
          let source: string;
          let abortOnFail = false;
          let delayAbortEvalMs = 0;
          let allowNoData = false;
          if (typeof item === 'string') source = item;
          else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
            const obj = item as Record<string, unknown>;
            for (const field of Object.keys(obj)) {
              if (!OBJECT_KEYS.has(field)) {
                problem(
                  [rawKey, index, field],
                  'unknown field: allowed are threshold, abortOnFail, delayAbortEval, allowNoData',
                );
              }
            }
            if (typeof obj.threshold !== 'string') {
              problem([rawKey, index, 'threshold'], 'expected an expression string such as p(95)<200');
              return;
            }
            source = obj.threshold;
            if (obj.abortOnFail !== undefined && typeof obj.abortOnFail !== 'boolean') {
              problem([rawKey, index, 'abortOnFail'], 'expected true or false');
            } else abortOnFail = obj.abortOnFail === true;
            if (obj.allowNoData !== undefined && typeof obj.allowNoData !== 'boolean') {
              problem([rawKey, index, 'allowNoData'], 'expected true or false');
            } else allowNoData = obj.allowNoData === true;
            if (obj.delayAbortEval !== undefined) {
              const ms =
                typeof obj.delayAbortEval === 'string'
                  ? (parseDurationMs(obj.delayAbortEval) ?? Number.NaN)
                  : Number.NaN;
              if (Number.isNaN(ms)) {
                problem(
                  [rawKey, index, 'delayAbortEval'],
                  "expected a duration such as '10s', '1m30s' or '500ms'",
                );
              } else if (ms > MAX_DURATION_MS) {
                problem(
                  [rawKey, index, 'delayAbortEval'],
                  `expected a duration of at most ${formatDurationMs(MAX_DURATION_MS)} (${MAX_DURATION_MS} ms)`,
                );
              } else delayAbortEvalMs = ms;
            }
          } else {
            problem(
              [rawKey, index],
              'expected an expression string or { threshold, abortOnFail?, delayAbortEval?, allowNoData? }',
            );
            return;
          }
          const parsed = parseThresholdExpression(source);
          const path = typeof item === 'string' ? [rawKey, index] : [rawKey, index, 'threshold'];
          if (!parsed.ok) {
            problem(path, `bad expression: ${parsed.error}`);
            return;
          }
          if (!parsedKey.ok || !kind) return;
          const { aggregation } = parsed.expression;
          if (!allows(kind, aggregation)) {
            problem(
              path,
              `'${formatAggregation(aggregation)}' does not apply to ${kind} metric '${parsedKey.key.metric}'; ` +
                `use ${list(AGGREGATIONS_BY_KIND[kind])}`,
            );
            return;
          }
          out.push({
            key,
            metric: parsedKey.key.metric,
            kind,
            filter: parsedKey.key.filter,
            source: source.trim(),
            expression: parsed.expression,
            abortOnFail,
            delayAbortEvalMs,
            allowNoData,
          });
        });
      }
      return out;
    });
}

/**
 * Validates thresholds and parses every expression. Throws a `ConfigError`
 * (`NH_CONFIG_INVALID`) listing every problem at once — each names the key, the expression
 * (as `(got …)`) and what is allowed. Metric names are checked against `catalogue`: the
 * built-in metrics, plus a scenario's custom ones with `metricCatalogue(scenario.metrics)`
 * (as k6, a threshold on a metric nobody declared is an error before the run, not "no data"
 * after it).
 *
 * @example
 * const parsed = parseThresholds({
 *   'http_req_duration{op:send_message}': ['p(99)<500'],
 *   checks: [{ threshold: 'rate>0.99', abortOnFail: true, delayAbortEval: '10s' }],
 * });
 * parseThresholds({ login_time: ['p(95)<200'] }, metricCatalogue({ login_time: 'trend' }));
 */
export function parseThresholds(input: unknown, catalogue: MetricCatalogue = METRICS): ParsedThreshold[] {
  return parseWithSchema(schemaFor(catalogue), input, 'thresholds');
}
