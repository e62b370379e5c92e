import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseBodyText } from './json-body.js';

/** The nesting depth of a parsed JSON value (recursive: only for the small values generated here). */
function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value as object);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map(depth)));
}

describe('parseBodyText', () => {
  it('sorts bodies into none, json, malformed and too-deep', () => {
    expect(parseBodyText('  \n')).toEqual({ kind: 'none' });
    expect(parseBodyText('{"content":"hi"}')).toEqual({ kind: 'json', value: { content: 'hi' } });
    expect(parseBodyText('{"content":')).toEqual({ kind: 'malformed' });
    expect(parseBodyText('['.repeat(100_000))).toEqual({ kind: 'too-deep' });
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseBodyText(atLimit).kind).toBe('json');
    expect(parseBodyText(`[${atLimit}]`).kind).toBe('too-deep');
  });

  it('counts brackets inside strings (escaped quotes included) as text, not nesting', () => {
    const text = JSON.stringify({ a: `"\\${'['.repeat(200)}\\"{{{` });
    expect(nestsDeeperThan(text, 2)).toBe(false);
    expect(parseBodyText(text).kind).toBe('json');
  });

  it('agrees with the real depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(nestsDeeperThan(text.padEnd(text.length + max + 1, ' '), max)).toBe(depth(value) > max);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
