/**
 * `--max-regression` expressions: `METRIC[{tag:value,…}]:STAT=+N%`, the largest change for the
 * worse that a gate lets through (beyond the noise of the runs).
 */
import { parseThresholdKey, type ThresholdKey } from '../../harness/engine/thresholds/key.js';
import { UsageError } from '../../harness/util/errors.js';

/**
 * The figures a comparison has per row: trends' percentiles, rates' and counters' `rate`.
 *
 * @example
 * COMPARE_STATS.includes('p(99)'); // true
 */
export const COMPARE_STATS = ['p(50)', 'p(90)', 'p(99)', 'rate'] as const;

/** One of {@link COMPARE_STATS}. */
export type CompareStat = (typeof COMPARE_STATS)[number];

/**
 * One parsed `--max-regression` gate.
 *
 * @example
 * const g: RegressionGate = { expression: 'op_duration{op:poll}:p(99)=+10%',
 *   key: { metric: 'op_duration', filter: { op: 'poll' } }, stat: 'p(99)', maxChangePct: 10 };
 */
export interface RegressionGate {
  /** As typed. */
  expression: string;
  /** The metric and the tags a row must have (no filter: every tag set of the metric). */
  key: ThresholdKey;
  stat: CompareStat;
  /** The largest change for the worse let through, % of the baseline. */
  maxChangePct: number;
}

const ALLOWED =
  "METRIC[{tag:value,…}]:STAT=+N% with STAT one of p(50), p(90), p(99) (trends) or rate (rates, counters), e.g. 'op_duration{op:send_message}:p(99)=+10%'";

/**
 * Parses one expression; the error (a string) says what is wrong, or null when it parsed.
 *
 * @example
 * parseRegressionGate('op_duration:p(99)=+50%'); // { ok: true, gate: { stat: 'p(99)', maxChangePct: 50, … } }
 */
export function parseRegressionGate(
  expression: string,
): { ok: true; gate: RegressionGate } | { ok: false; error: string } {
  const text = expression.trim();
  const eq = text.indexOf('=');
  const colon = eq === -1 ? -1 : text.lastIndexOf(':', eq);
  if (colon === -1) return { ok: false, error: 'expected METRIC:STAT=+N%' };
  const key = parseThresholdKey(text.slice(0, colon));
  if (!key.ok) return { ok: false, error: key.error };
  const stat = text.slice(colon + 1, eq).trim();
  if (!(COMPARE_STATS as readonly string[]).includes(stat))
    return { ok: false, error: `unknown STAT '${stat}'` };
  const limit = /^\+(\d+(?:\.\d+)?)%$/.exec(text.slice(eq + 1).trim());
  if (limit === null)
    return { ok: false, error: `the limit '${text.slice(eq + 1).trim()}' is not +N% (e.g. +10%)` };
  return {
    ok: true,
    gate: { expression, key: key.key, stat: stat as CompareStat, maxChangePct: Number(limit[1]) },
  };
}

/**
 * Parses every `--max-regression`; throws one `UsageError` (exit 2) naming each bad expression,
 * why, and what is allowed.
 *
 * @example
 * parseRegressionGates(['op_duration:p(99)=+10%', 'op_failed:rate=+5%']);
 */
export function parseRegressionGates(expressions: readonly string[]): RegressionGate[] {
  const gates: RegressionGate[] = [];
  const errors: string[] = [];
  for (const expression of expressions) {
    const parsed = parseRegressionGate(expression);
    if (parsed.ok) gates.push(parsed.gate);
    else errors.push(`'${expression}': ${parsed.error}`);
  }
  if (errors.length > 0)
    throw new UsageError(`Invalid --max-regression ${errors.join('; ')}. Expected ${ALLOWED}.`);
  return gates;
}

/**
 * Whether `gate` applies to a row of `metric` with `tags` and `stat`.
 *
 * @example
 * gateMatches(gate, 'op_duration', { op: 'poll', executor: 'main' }, 'p(99)');
 */
export function gateMatches(
  gate: RegressionGate,
  metric: string,
  tags: Readonly<Record<string, string>>,
  stat: CompareStat,
): boolean {
  if (gate.key.metric !== metric || gate.stat !== stat) return false;
  const filter = gate.key.filter;
  return filter === null || Object.entries(filter).every(([k, v]) => tags[k] === v);
}
