import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax.js';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'expected a property name in double quotes'],
    ['{"a" 1}', 1, 6, "expected ':' after a property name"],
    ['[1, 2', 1, 6, "expected ',' or ']' after an array element, found end of input"],
    ['{"a": tru}', 1, 7, 'expected a value'],
    ['{"a": "x\ny"}', 1, 9, 'control character in string'],
    ['{} {}', 1, 4, 'expected end of input'],
    ['', 1, 1, 'expected a value, found end of input'],
  ])('locates the error in %j at %d:%d', (text, line, column, reason) => {
    expect(findJsonSyntaxError(text)).toMatchObject({
      line,
      column,
      reason: expect.stringContaining(reason),
    });
  });

  it('accepts exactly what JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(findJsonSyntaxError(text)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === undefined).toBe(valid);
      }),
    );
  });
});

describe('findJsonSyntaxError on deep input', () => {
  it('reports 10,000 unclosed brackets as too deep instead of overflowing the stack', () => {
    const problem = findJsonSyntaxError('['.repeat(10_000));
    expect(problem).toMatchObject({ line: 1, column: 513, reason: 'nested deeper than 512 levels' });
  });
});
