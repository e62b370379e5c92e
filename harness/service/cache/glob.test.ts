import { describe, expect, it } from 'vitest';
import { escapeGlob, globMatcher, redisMatchPattern } from './glob.js';

describe('globMatcher', () => {
  it('takes * as any run, ? as one byte, \\ as an escape, everything else literally', () => {
    const m = globMatcher('a*b?c');
    expect(m('abxc')).toBe(true);
    expect(m('a123bxc')).toBe(true);
    expect(m('abc')).toBe(false);
    expect(globMatcher('x.y')('xzy')).toBe(false);
    expect(globMatcher('[ab]')('[ab]')).toBe(true);
    expect(globMatcher('[ab]')('a')).toBe(false);
    expect(globMatcher('(a|b)+')('(a|b)+')).toBe(true);
    expect(globMatcher('*')('line\nbreak')).toBe(true);
    expect(globMatcher('*')('')).toBe(true);
    expect(globMatcher('a**')('a')).toBe(true);
    expect(globMatcher('?')('é')).toBe(false);
    expect(globMatcher('??')('é')).toBe(true);
  });

  it('matches an escaped *, ? or \\ only as itself; a trailing \\ is itself', () => {
    expect(globMatcher('a\\*')('a*')).toBe(true);
    expect(globMatcher('a\\*')('ab')).toBe(false);
    expect(globMatcher('a\\?')('a?')).toBe(true);
    expect(globMatcher('a\\?')('ab')).toBe(false);
    expect(globMatcher('a\\\\b')('a\\b')).toBe(true);
    expect(globMatcher('a\\b')('ab')).toBe(true);
    expect(globMatcher('a\\')('a\\')).toBe(true);
  });

  it('takes time linear in the key for a glob of many stars (no regular-expression backtracking)', () => {
    // The regular expression this replaced needed hours for this one key.
    expect(globMatcher('*a*a*a*a*a*a*a*a*a*a*b')('a'.repeat(200))).toBe(false);
    expect(globMatcher('*a*a*a*a*a*a*a*a*a*a*b')(`${'a'.repeat(200)}b`)).toBe(true);
  }, 5_000);
});

describe('escapeGlob', () => {
  it('makes a glob that matches exactly the text, whatever it holds', () => {
    for (const text of ['*', 'a?b', 'x\\y', '[z]', 'u:1', '', 'é*']) {
      expect(globMatcher(escapeGlob(text))(text)).toBe(true);
    }
    expect(globMatcher(escapeGlob('*'))('anything')).toBe(false);
    expect(globMatcher(`message:${escapeGlob('u*')}:*`)('message:u2:m1')).toBe(false);
  });
});

describe('redisMatchPattern', () => {
  it("escapes every special character of the prefix, the glob's [ and ], and keeps its escapes", () => {
    expect(redisMatchPattern('nexus:cache:', 'session:*')).toBe('nexus:cache:session:*');
    expect(redisMatchPattern('a*?[]\\:', 'x')).toBe('a\\*\\?\\[\\]\\\\:x');
    expect(redisMatchPattern('p:', '[a]\\*?')).toBe('p:\\[a\\]\\*?');
    expect(redisMatchPattern('p:', 'a\\')).toBe('p:a\\\\');
  });
});
