import { describe, expect, it } from 'vitest';
import { ANSI_STYLE, PLAIN_STYLE, styleFor, wantsColour } from './terminal-style.js';

describe('wantsColour', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('colours a terminal and nothing else', () => {
    expect(wantsColour(tty, {})).toBe(true);
    expect(wantsColour(pipe, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
    expect(wantsColour(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('honours NO_COLOR (non-empty) and FORCE_COLOR, which wins as in Node', () => {
    expect(wantsColour(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(wantsColour(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(wantsColour(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('styleFor picks the ANSI style or the plain one', () => {
    expect(styleFor({ isTTY: true }, {})).toBe(ANSI_STYLE);
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN_STYLE);
    expect(PLAIN_STYLE.bad('✗')).toBe('✗');
    expect(ANSI_STYLE.good('✓')).toBe('\u001b[32m✓\u001b[39m');
  });
});
