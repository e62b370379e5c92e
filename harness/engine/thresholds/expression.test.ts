import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compare,
  formatThresholdExpression,
  NAMED_AGGREGATIONS,
  OPERATORS,
  parseThresholdExpression,
  type ThresholdExpression,
} from './expression.js';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<200', { kind: 'p', percentile: 95 }, '<', 200],
    ['p(99.9) < 500', { kind: 'p', percentile: 99.9 }, '<', 500],
    ['  p( 0 )>=0', { kind: 'p', percentile: 0 }, '>=', 0],
    ['p(100)<=1e3', { kind: 'p', percentile: 100 }, '<=', 1_000],
    ['avg<200.5', { kind: 'avg' }, '<', 200.5],
    ['min>0', { kind: 'min' }, '>', 0],
    ['max <= 10', { kind: 'max' }, '<=', 10],
    ['med<.5', { kind: 'med' }, '<', 0.5],
    ['count==0', { kind: 'count' }, '==', 0],
    ['count===0', { kind: 'count' }, '===', 0],
    ['rate!=1', { kind: 'rate' }, '!=', 1],
    ['rate<0.01', { kind: 'rate' }, '<', 0.01],
    ['value>-3', { kind: 'value' }, '>', -3],
    ['value < +2E-2', { kind: 'value' }, '<', 0.02],
  ])('parses %j', (text, aggregation, operator, value) => {
    expect(parseThresholdExpression(text)).toEqual({
      ok: true,
      expression: { aggregation, operator, value },
    });
  });

  it.each([
    ['', /empty expression/],
    ['   ', /empty expression/],
    ['p99<500', /unknown aggregation 'p99'/],
    ['P(99)<500', /unknown aggregation 'P\(99\)'/],
    ['mean<5', /unknown aggregation 'mean': use p\(N\), avg/],
    ['<500', /missing aggregation before '<500'/],
    ['p(101)<5', /percentile '101' .* from 0 to 100/],
    ['p(-1)<5', /percentile '-1'/],
    ['p()<5', /percentile ''/],
    ['p(abc)<5', /percentile 'abc'/],
    ['p(99', /percentile|unknown aggregation/],
    ['avg', /expected a comparison .* got nothing/],
    ['avg=5', /expected a comparison .* got '=5'/],
    ['avg=>5', /expected a comparison/],
    ['avg<', /expected a number after '<', got nothing/],
    ['avg<abc', /expected a number after '<', got 'abc'/],
    ['avg<5ms', /expected a number after '<', got '5ms'/],
    ['avg<5 6', /expected a number/],
    ['avg<Infinity', /expected a number/],
    ['avg<0x10', /expected a number/],
    ['avg2<1', /expected a comparison/],
  ])('rejects %j', (text, message) => {
    const parsed = parseThresholdExpression(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  const expressionArb: fc.Arbitrary<ThresholdExpression> = fc.record({
    aggregation: fc.oneof(
      fc.record({
        kind: fc.constant('p' as const),
        percentile: fc.double({ min: 0, max: 100, noNaN: true }),
      }),
      fc.record({ kind: fc.constantFrom(...NAMED_AGGREGATIONS) }),
    ),
    operator: fc.constantFrom(...OPERATORS),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  });

  it('round-trips: parse(format(e)) gives e back', () => {
    fc.assert(
      fc.property(expressionArb, (expression) => {
        const parsed = parseThresholdExpression(formatThresholdExpression(expression));
        expect(parsed).toEqual({ ok: true, expression: { ...expression, value: expression.value || 0 } });
      }),
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'p()<>=!0123456789.e-+ avgmincount') })),
        (text) => {
          const parsed = parseThresholdExpression(text);
          expect(typeof parsed.ok).toBe('boolean');
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('compare', () => {
  it('treats == and === alike and compares exactly', () => {
    expect(OPERATORS.map((op) => compare(5, op, 5))).toEqual([true, true, false, true, true, false, false]);
    expect(OPERATORS.map((op) => compare(4, op, 5))).toEqual([false, false, true, true, false, true, false]);
  });
});
