import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff.js';
import { resolveClientOptions } from './options.js';

describe('createBackoff (full jitter)', () => {
  it('doubles the ceiling per retry from baseMs and stops at capMs', () => {
    const backoff = createBackoff({ baseMs: 100, capMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6, 60].map((n) => backoff.ceilingMs(n))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
  });

  it('spans the whole jitter range [0, ceiling) with the random source at its extremes', () => {
    const low = createBackoff({ baseMs: 100, capMs: 10_000, random: () => 0 });
    const high = createBackoff({ baseMs: 100, capMs: 10_000, random: () => 0.999_999 });
    expect(low.delayMs(3)).toBe(0);
    expect(high.delayMs(3)).toBe(399);
  });

  it('never leaves [0, min(cap, base·2^(n-1))) for any retry and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraCapMs, retry, r) => {
          const capMs = baseMs + extraCapMs;
          const delay = createBackoff({ baseMs, capMs, random: () => r }).delayMs(retry);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(capMs, baseMs * 2 ** (retry - 1)));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('is never built with a cap below the base: the client options schema refuses it', () => {
    // createBackoff trusts its input; the check lives in clientSettingsSchema.
    expect(() =>
      resolveClientOptions({ apiKey: 'k', retry: { backoff: { baseMs: 100, capMs: 50 } } }, {}),
    ).toThrow(/retry\.backoff\.capMs: expected capMs ≥ baseMs \(100\)/);
  });
});
