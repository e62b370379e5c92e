import { afterEach, describe, expect, it, vi } from 'vitest';
import { realTimers } from './timers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('realTimers.now', () => {
  it('is ms since the epoch, never goes backwards, and keeps fractions of a ms', () => {
    const before = Date.now();
    const readings = Array.from({ length: 1_000 }, () => realTimers.now());
    const after = Date.now();
    // The epoch base that Retry-After dates are compared with (a whole-ms clock either side).
    expect(readings[0]!).toBeGreaterThanOrEqual(before - 1);
    expect(readings.at(-1)!).toBeLessThanOrEqual(after + 1);
    const gaps = readings.slice(1).map((r, i) => r - readings[i]!);
    expect(gaps.every((gap) => gap >= 0)).toBe(true);
    // A whole-ms clock makes every gap 0 or 1; this one resolves what happens in between.
    expect(gaps.some((gap) => gap > 0 && !Number.isInteger(gap))).toBe(true);
  });

  it('follows vitest fake timers installed after it was made', () => {
    const T0 = Date.UTC(2030, 0, 1);
    vi.useFakeTimers({ now: T0 });
    expect(realTimers.now()).toBe(T0);
    vi.advanceTimersByTime(1_250);
    expect(realTimers.now()).toBe(T0 + 1_250);
    expect(realTimers.now()).toBe(Date.now());
  });

  it('is anchored to the system clock again when the two drift apart (a clock step, a laptop that slept)', () => {
    const T0 = Date.UTC(2030, 0, 1);
    vi.useFakeTimers({ now: T0 });
    expect(realTimers.now()).toBe(T0);
    // The wall clock steps an hour ahead; the monotonic clock does not (as after a sleep).
    vi.setSystemTime(T0 + 3_600_000);
    expect(Math.abs(realTimers.now() - Date.now())).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(500);
    expect(realTimers.now()).toBe(Date.now());
  });
});
