import { describe, expect, it } from 'vitest';
import { limitsSchema } from './config.js';
import { RateWindows } from './rate-window.js';

const limits = (perMinute: number, minuteMs: number, perHour = 1_000, hourMs = 3_600_000) =>
  limitsSchema.parse({
    perMinute: { limit: perMinute, windowMs: minuteMs },
    perHour: { limit: perHour, windowMs: hourMs },
  });

describe('RateWindows', () => {
  it('admits up to the limit, then refuses until the aligned window ends', () => {
    const windows = new RateWindows(limits(3, 2_000));
    const t0 = 10_500; // inside the window [10_000, 12_000)
    expect([1, 2, 3].map(() => windows.admit(t0).remaining)).toEqual([2, 1, 0]);
    const refused = windows.admit(t0 + 1);
    expect(refused).toMatchObject({ limited: true, remaining: 0, limit: 3, resetAtMs: 12_000 });
    expect(windows.admit(11_999).limited).toBe(true);
    expect(windows.admit(12_000)).toMatchObject({ limited: false, remaining: 2, resetAtMs: 14_000 });
  });

  it('does not count refused requests against the budget', () => {
    const windows = new RateWindows(limits(1, 1_000));
    windows.admit(0);
    for (let i = 0; i < 10; i++) windows.admit(10);
    expect(windows.admit(1_000)).toMatchObject({ limited: false, remaining: 0 });
  });

  it('reports the window with fewer requests left, and the hour window when it is the one exhausted', () => {
    const windows = new RateWindows(limits(5, 1_000, 7, 10_000));
    expect(windows.admit(0)).toMatchObject({ limit: 5, remaining: 4, resetAtMs: 1_000 });
    for (let i = 0; i < 4; i++) windows.admit(1);
    // minute window full: 5 used; hour has 2 left
    expect(windows.admit(2)).toMatchObject({ limited: true, limit: 5, resetAtMs: 1_000 });
    expect(windows.admit(1_000)).toMatchObject({ limited: false, limit: 7, remaining: 1, resetAtMs: 10_000 });
    windows.admit(1_001);
    // Both the next minute and the hour still to go: the later reset (the hour) is announced.
    expect(windows.admit(1_002)).toMatchObject({ limited: true, limit: 7, resetAtMs: 10_000 });
    expect(windows.admit(2_000)).toMatchObject({ limited: true, limit: 7, resetAtMs: 10_000 });
  });

  it('applies new limits to the current window counts', () => {
    const windows = new RateWindows(limits(10, 1_000));
    windows.admit(0);
    windows.admit(0);
    windows.setLimits(limits(2, 1_000));
    expect(windows.admit(1).limited).toBe(true);
  });
});
