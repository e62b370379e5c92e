import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.js';

describe('createRetryBudget', () => {
  it('allows the floor plus ratio × requests, then refuses', () => {
    let t = 0;
    const budget = createRetryBudget({
      ratio: 0.1,
      minRetriesPerSecond: 0.5,
      windowMs: 10_000,
      now: () => t,
    });
    for (let i = 0; i < 100; i++) budget.recordRequest();
    // floor 0.5/s × 10 s = 5, plus 10 % of 100 = 10: 15 retries.
    let granted = 0;
    while (budget.tryWithdraw()) granted++;
    expect(granted).toBe(15);
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 15, allowed: 15 });
    t = 500;
    expect(budget.tryWithdraw()).toBe(false);
  });

  it('frees the budget as old traffic slides out of the window', () => {
    let t = 0;
    const budget = createRetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 1_000, now: () => t });
    for (let i = 0; i < 4; i++) budget.recordRequest();
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
    t = 1_000; // every slot of the first second has expired
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, allowed: 0 });
    budget.recordRequest();
    budget.recordRequest();
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
  });

  it('keeps a retry floor for a quiet client', () => {
    const budget = createRetryBudget({ ratio: 0, minRetriesPerSecond: 1, windowMs: 2_000, now: () => 0 });
    expect([budget.tryWithdraw(), budget.tryWithdraw(), budget.tryWithdraw()]).toEqual([true, true, false]);
  });
});
