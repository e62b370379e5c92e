/**
 * k6's threshold expression grammar: `AGGREGATION OPERATOR NUMBER`, with whitespace allowed
 * between the parts, e.g. `p(99.9) < 500`, `rate<=0.01`, `count==0`.
 *
 * - aggregation: `p(N)` (0 ≤ N ≤ 100, fractional allowed), `avg`, `min`, `max`, `med`,
 *   `count`, `rate`, `value`;
 * - operator: `<`, `<=`, `>`, `>=`, `==`, `===` (same as `==`), `!=`;
 * - number: decimal, optionally signed, with an optional exponent (`1e3`).
 */

/**
 * Aggregation names other than `p(N)`.
 *
 * @example
 * NAMED_AGGREGATIONS.includes('avg'); // true
 */
export const NAMED_AGGREGATIONS = ['avg', 'min', 'max', 'med', 'count', 'rate', 'value'] as const;
/**
 * An aggregation other than `p(N)`.
 *
 * @example
 * const a: NamedAggregation = 'med';
 */
export type NamedAggregation = (typeof NAMED_AGGREGATIONS)[number];

/**
 * What a threshold aggregates: a percentile or a named figure.
 *
 * @example
 * const p999: Aggregation = { kind: 'p', percentile: 99.9 };
 */
export type Aggregation = { kind: 'p'; percentile: number } | { kind: NamedAggregation };

/**
 * The comparison operators, longest first (the order they are matched in).
 *
 * @example
 * OPERATORS.find((op) => text.startsWith(op));
 */
export const OPERATORS = ['===', '==', '!=', '<=', '>=', '<', '>'] as const;
/**
 * A comparison operator of the grammar.
 *
 * @example
 * compare(1, '<=' satisfies ThresholdOperator, 2); // true
 */
export type ThresholdOperator = (typeof OPERATORS)[number];

/**
 * One parsed expression.
 *
 * @example
 * const e: ThresholdExpression = { aggregation: { kind: 'p', percentile: 99 }, operator: '<', value: 500 };
 */
export interface ThresholdExpression {
  aggregation: Aggregation;
  operator: ThresholdOperator;
  value: number;
}

/**
 * The outcome of parsing: the expression, or why it is not one.
 *
 * @example
 * const r = parseThresholdExpression(text);
 * if (!r.ok) console.error(r.error);
 */
export type ExpressionParse = { ok: true; expression: ThresholdExpression } | { ok: false; error: string };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ALLOWED = 'p(N), avg, min, max, med, count, rate or value';

/**
 * Parses one expression. Never throws: a bad expression gives `{ ok: false, error }` with a
 * message saying what was expected where.
 *
 * @example
 * parseThresholdExpression('p(99.9) < 500');
 * // { ok: true, expression: { aggregation: { kind: 'p', percentile: 99.9 }, operator: '<', value: 500 } }
 * parseThresholdExpression('p99<500'); // { ok: false, error: "unknown aggregation 'p99': use p(N), …" }
 */
export function parseThresholdExpression(text: string): ExpressionParse {
  if (typeof text !== 'string')
    return { ok: false, error: 'expected an expression string such as p(95)<200' };
  let rest = text.trim();
  if (rest === '') return { ok: false, error: 'empty expression: expected e.g. p(95)<200' };

  let aggregation: Aggregation;
  const percentile = /^p\s*\(([^)]*)\)/.exec(rest);
  if (percentile) {
    const inner = percentile[1]!.trim();
    const n = Number(inner);
    if (!NUMBER.test(inner) || !(n >= 0 && n <= 100)) {
      return {
        ok: false,
        error: `percentile '${inner}' in '${percentile[0]}' must be a number from 0 to 100`,
      };
    }
    aggregation = { kind: 'p', percentile: n };
    rest = rest.slice(percentile[0].length).trimStart();
  } else {
    const name = /^[A-Za-z_]+/.exec(rest)?.[0] ?? '';
    if (!(NAMED_AGGREGATIONS as readonly string[]).includes(name)) {
      const shown = /^[^\s<>=!]+/.exec(rest)?.[0];
      return shown
        ? { ok: false, error: `unknown aggregation '${shown}': use ${ALLOWED}` }
        : { ok: false, error: `missing aggregation before '${rest}': use ${ALLOWED}` };
    }
    aggregation = { kind: name as NamedAggregation };
    rest = rest.slice(name.length).trimStart();
  }

  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) {
    const got = rest === '' ? 'nothing' : `'${rest}'`;
    return {
      ok: false,
      error: `expected a comparison (<, <=, >, >=, ==, ===, !=) after the aggregation, got ${got}`,
    };
  }
  rest = rest.slice(operator.length).trim();
  const value = Number(rest);
  if (!NUMBER.test(rest) || !Number.isFinite(value)) {
    const got = rest === '' ? 'nothing' : `'${rest}'`;
    return { ok: false, error: `expected a number after '${operator}', got ${got}` };
  }
  return { ok: true, expression: { aggregation, operator, value } };
}

/**
 * The canonical text of an expression: no spaces, numbers as JavaScript prints them.
 * `parseThresholdExpression(formatThresholdExpression(e))` gives `e` back.
 *
 * @example
 * formatThresholdExpression({ aggregation: { kind: 'avg' }, operator: '<=', value: 0.5 }); // 'avg<=0.5'
 */
export function formatThresholdExpression(expression: ThresholdExpression): string {
  const { aggregation, operator, value } = expression;
  const head = aggregation.kind === 'p' ? `p(${aggregation.percentile})` : aggregation.kind;
  return `${head}${operator}${value}`;
}

/**
 * The text of an aggregation, as in messages: `p(99)`, `avg`.
 *
 * @example
 * formatAggregation({ kind: 'p', percentile: 95 }); // 'p(95)'
 */
export function formatAggregation(aggregation: Aggregation): string {
  return aggregation.kind === 'p' ? `p(${aggregation.percentile})` : aggregation.kind;
}

/**
 * Compares `actual` with `expected` by `operator` (`==` and `===` alike).
 *
 * @example
 * compare(212, '<', 500); // true
 */
export function compare(actual: number, operator: ThresholdOperator, expected: number): boolean {
  switch (operator) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '==':
    case '===':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}
