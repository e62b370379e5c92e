import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../util/validation.js';
import { DEFAULT_USER_LIMITS, type UserLimits } from '../types.js';
import { resolveUserLimits, resolveWindowSeconds } from './limits-config.js';

describe('resolveUserLimits', () => {
  it('lays the given limits over the defaults', () => {
    expect(resolveUserLimits()).toEqual(DEFAULT_USER_LIMITS);
    expect(resolveUserLimits({ messagesPerHour: 50 })).toEqual({
      ...DEFAULT_USER_LIMITS,
      messagesPerHour: 50,
    });
  });

  it('names every bad field and its value at once', () => {
    let err: unknown;
    try {
      resolveUserLimits({
        messagesPerMinute: 0,
        messagesPerHour: Number.POSITIVE_INFINITY,
        sessionsPerDay: '5',
        perMinute: 3,
      } as unknown as Partial<UserLimits>);
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    if (!isConfigError(err)) return;
    expect(err.problems.map((p) => p.path)).toEqual([
      'limits.perMinute',
      'limits.messagesPerMinute',
      'limits.messagesPerHour',
      'limits.sessionsPerDay',
    ]);
    expect(err.message).toContain('limits.messagesPerMinute: must be a positive integer, got 0');
    expect(err.message).toContain('limits.messagesPerHour: must be a positive integer, got Infinity');
    expect(err.message).toContain('limits.sessionsPerDay: must be a positive integer, got "5"');
    expect(err.message).toContain('expected one of messagesPerMinute, messagesPerHour, sessionsPerDay');
  });

  it('refuses something that is not an object', () => {
    expect(() => resolveUserLimits(null as unknown as Partial<UserLimits>)).toThrow(
      /limits: must be an object/,
    );
  });
});

describe('resolveWindowSeconds', () => {
  it('defaults to a minute, an hour and a day, and checks what it is given', () => {
    expect(resolveWindowSeconds()).toEqual({
      messagesPerMinute: 60,
      messagesPerHour: 3_600,
      sessionsPerDay: 86_400,
    });
    expect(() => resolveWindowSeconds({ messagesPerMinute: 0.5 })).toThrow(
      /windowSeconds\.messagesPerMinute/,
    );
  });
});
