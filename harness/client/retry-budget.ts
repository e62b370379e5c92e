/**
 * A retry budget (as Finagle's and gRPC's): retries may add at most `ratio` of the recent
 * traffic, plus a small floor so a quiet client can still retry. When a dependency fails
 * broadly, the budget runs dry and failures surface instead of multiplying the load.
 */

import { DEFAULT_RETRY_BUDGET } from './options-schema.js';

export interface RetryBudgetOptions {
  /** Retries allowed per first attempt in the window, 0–1. Default 0.2 (retries ≤ 20 % of traffic). */
  ratio?: number;
  /** Retries always allowed per second of window, whatever the traffic. Default 2. */
  minRetriesPerSecond?: number;
  /** Length of the sliding window, ms. Default 10_000. */
  windowMs?: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

/** Counts first attempts and retries over a sliding window. */
export interface RetryBudget {
  /** Record one operation's first attempt. */
  recordRequest(): void;
  /** Withdraw one retry; false when the budget is spent (the caller must not retry). */
  tryWithdraw(): boolean;
  /** Current counts in the window, for reports and tests. */
  snapshot(): { requests: number; retries: number; allowed: number };
}

const SLOTS = 10;

/**
 * Creates a retry budget over a sliding window of ten slots. Trusts its options (ratio 0–1,
 * windowMs ≥ 10): the client validated them through `clientSettingsSchema`.
 *
 * @example
 * const budget = createRetryBudget({ ratio: 0.1 });
 * budget.recordRequest();
 * if (budget.tryWithdraw()) retry(); else fail();
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const ratio = options.ratio ?? DEFAULT_RETRY_BUDGET.ratio;
  const minPerSecond = options.minRetriesPerSecond ?? DEFAULT_RETRY_BUDGET.minRetriesPerSecond;
  const windowMs = options.windowMs ?? DEFAULT_RETRY_BUDGET.windowMs;
  const now = options.now ?? Date.now;
  const floor = (minPerSecond * windowMs) / 1_000;
  const slotMs = windowMs / SLOTS;
  const requests = new Float64Array(SLOTS);
  const retries = new Float64Array(SLOTS);
  let currentSlot = Math.floor(now() / slotMs);
  let requestSum = 0;
  let retrySum = 0;

  function advance(): number {
    const slot = Math.floor(now() / slotMs);
    if (slot !== currentSlot) {
      const steps = Math.min(slot - currentSlot, SLOTS);
      for (let i = 1; i <= steps; i++) {
        const index = (currentSlot + i) % SLOTS;
        requestSum -= requests[index]!;
        retrySum -= retries[index]!;
        requests[index] = 0;
        retries[index] = 0;
      }
      currentSlot = slot;
    }
    return currentSlot % SLOTS;
  }

  return {
    recordRequest() {
      const index = advance();
      requests[index]! += 1;
      requestSum += 1;
    },
    tryWithdraw() {
      const index = advance();
      if (retrySum + 1 > floor + ratio * requestSum) return false;
      retries[index]! += 1;
      retrySum += 1;
      return true;
    },
    snapshot() {
      advance();
      return { requests: requestSum, retries: retrySum, allowed: floor + ratio * requestSum };
    },
  };
}
