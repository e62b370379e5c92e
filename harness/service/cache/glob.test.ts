import { describe, expect, it } from 'vitest';
import { globMatcher, redisMatchPattern } from './glob.js';

describe('globMatcher', () => {
  it('takes * as any run and ? as one byte, everything else literally', () => {
    const m = globMatcher('a*b?c');
    expect(m('abxc')).toBe(true);
    expect(m('a123bxc')).toBe(true);
    expect(m('abc')).toBe(false);
    expect(globMatcher('x.y')('xzy')).toBe(false);
    expect(globMatcher('[ab]')('[ab]')).toBe(true);
    expect(globMatcher('[ab]')('a')).toBe(false);
    expect(globMatcher('a\\b')('a\\b')).toBe(true);
    expect(globMatcher('(a|b)+')('(a|b)+')).toBe(true);
    expect(globMatcher('*')('line\nbreak')).toBe(true);
    expect(globMatcher('?')('é')).toBe(false);
    expect(globMatcher('??')('é')).toBe(true);
  });
});

describe('redisMatchPattern', () => {
  it('escapes every special character of the prefix and all but * and ? of the glob', () => {
    expect(redisMatchPattern('nexus:cache:', 'session:*')).toBe('nexus:cache:session:*');
    expect(redisMatchPattern('a*?[]\\:', 'x')).toBe('a\\*\\?\\[\\]\\\\:x');
    expect(redisMatchPattern('p:', '[a]\\*?')).toBe('p:\\[a\\]\\\\*?');
  });
});
