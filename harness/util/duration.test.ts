import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  durationSchema,
  formatDurationMs,
  MAX_DURATION_MS,
  parseDurationArg,
  parseDurationMs,
  positiveDurationSchema,
} from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1_500],
    ['1h2m3s4ms', 3_723_004],
    ['250us', 0.25],
    ['1d', 86_400_000],
    ['0', 0],
    [' 10s ', 10_000],
    [0, 0],
    [1_234.5, 1_234.5],
  ])('parses %j as %d ms', (input, ms) => {
    expect(parseDurationMs(input)).toBe(ms);
  });

  it.each([
    ['30'],
    ['s'],
    ['-5s'],
    ['1 m'],
    ['1x'],
    ['1m30'],
    [''],
    [-1],
    [Number.NaN],
    [Infinity],
    [true],
    [null],
  ])('rejects %j', (input) => {
    expect(parseDurationMs(input)).toBeUndefined();
  });

  it('round-trips formatDurationMs for whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBeCloseTo(ms, 6);
      }),
    );
  });
});

describe('durationSchema', () => {
  it('outputs ms and names what is allowed on error', () => {
    expect(durationSchema.parse('1m')).toBe(60_000);
    const result = durationSchema.safeParse('ten seconds');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/expected a duration such as '30s'/);
    expect(durationSchema.safeParse(false).error?.issues[0]?.message).toMatch(/expected a duration/);
  });

  it('positiveDurationSchema refuses zero', () => {
    expect(positiveDurationSchema.safeParse('0s').success).toBe(false);
    expect(positiveDurationSchema.parse('1ms')).toBe(1);
  });
});

describe('duration bounds', () => {
  it.each([['1000h'], ['25h'], [1e300], [2 ** 31], [MAX_DURATION_MS + 1]])(
    'durationSchema refuses %j, naming the limit of 24h',
    (input) => {
      const result = durationSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('expected a duration of at most 24h (86400000 ms)');
    },
  );

  it('accepts exactly 24h', () => {
    expect(durationSchema.parse('24h')).toBe(MAX_DURATION_MS);
    expect(durationSchema.parse('1d')).toBe(MAX_DURATION_MS);
  });
});

describe('parseDurationArg (command-line flags)', () => {
  it.each([
    ['1500', 1_500],
    ['2.5', 2.5],
    [' 10 ', 10],
    ['0', 0],
    ['90s', 90_000],
    ['1m30s', 90_000],
  ])('parses %j as %d ms', (input, ms) => {
    expect(parseDurationArg(input)).toBe(ms);
  });

  it.each([['1e3'], ['-5'], ['1 m'], ['ten'], [''], ['0x10']])('rejects %j', (input) => {
    expect(parseDurationArg(input)).toBeUndefined();
  });
});
