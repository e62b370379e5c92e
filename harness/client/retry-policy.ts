import { type BackoffOptions, createBackoff, type RandomSource } from './backoff.js';
import type { RequestSent } from './errors.js';
import { DEFAULT_RETRY } from './options-schema.js';
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

/**
 * When to retry, and how long to wait first. The policy knows nothing of HTTP clients: it
 * gets a description of what went wrong and answers with a decision.
 *
 * Classification (the table the unit tests walk row by row):
 *
 * | what went wrong                                  | GET   | POST  | POST with Idempotency-Key |
 * |--------------------------------------------------|-------|-------|---------------------------|
 * | 429                                              | retry | retry | retry                     |
 * | 503                                              | retry | retry | retry                     |
 * | other 5xx (500, 502, 504, …)                     | retry | fail  | retry                     |
 * | other 4xx                                        | fail  | fail  | fail                      |
 * | network error, provably not sent (refused, DNS, connect timeout) | retry | retry | retry |
 * | network error or timeout after sending, cut or unparsable body   | retry | fail  | retry |
 *
 * A 429 does not count against `maxAttempts` or the retry budget: its retry re-enters the
 * rate limiter, which holds it until the server's reset, so it adds no load beyond the
 * limit. It is bounded instead by `maxRateLimitedAttempts` and `maxRateLimitWaitMs`.
 */

/** What one failed attempt looked like. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterAtMs: number | null }
  | { kind: 'error'; requestSent: RequestSent };

/** How a failure may be retried. */
export type RetryClass = 'retry' | 'retry-with-idempotency-key' | 'never';

/**
 * Classifies a failure by the table above.
 *
 * @example
 * classifyFailure('POST', { kind: 'status', status: 502, retryAfterAtMs: null }) // 'retry-with-idempotency-key'
 */
export function classifyFailure(method: 'GET' | 'POST', failure: AttemptFailure): RetryClass {
  if (failure.kind === 'status') {
    const { status } = failure;
    if (status === 429 || status === 503) return 'retry';
    if (status >= 500) return method === 'GET' ? 'retry' : 'retry-with-idempotency-key';
    return 'never';
  }
  if (failure.requestSent === 'no') return 'retry';
  return method === 'GET' ? 'retry' : 'retry-with-idempotency-key';
}

/** Why the policy said no. */
export type GiveUpReason =
  | 'not-retryable'
  | 'ambiguous-post'
  | 'max-attempts'
  | 'budget'
  | 'rate-limit-wait'
  | 'max-rate-limited';

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: GiveUpReason };

/** Counts the client keeps per operation and hands to {@link RetryPolicy.decide}. */
export interface AttemptCounts {
  /** Attempts made so far that did not end in 429 (the failed one included). */
  attempts: number;
  /** Attempts so far that ended in 429 (the failed one included). */
  rateLimitedAttempts: number;
}

/** Everything {@link RetryPolicy.decide} weighs about one failed attempt. */
export interface RetryContext extends AttemptCounts {
  method: 'GET' | 'POST';
  failure: AttemptFailure;
  /** The operation sends an `Idempotency-Key` (ambiguous POSTs may then be retried). */
  hasIdempotencyKey: boolean;
  /** For a 429: when the limiter will next let a request through, ms since epoch; else 0. */
  rateLimitReadyAtMs: number;
  /** The current time, ms since epoch. */
  nowMs: number;
}

export interface RetryPolicyOptions {
  /** Attempts per operation, the first included; 429s are not counted. Default 4. `1` disables retries. */
  maxAttempts?: number;
  /** Backoff between retries. Default full jitter, base 100 ms, cap 10 s. */
  backoff?: BackoffOptions;
  /** Retry budget, or `false` for none. Default ratio 0.2, 2 retries/s floor, 10 s window. */
  budget?: RetryBudgetOptions | false;
  /**
   * Longest wait for a rate-limit reset (or a 503's `Retry-After`) an operation accepts, ms.
   * Beyond it the operation fails fast with `RateLimitedError`. Default 60_000.
   */
  maxRateLimitWaitMs?: number;
  /** 429 answers one operation accepts before failing with `RateLimitedError`. Default 20. */
  maxRateLimitedAttempts?: number;
  /** Random source for jitter. Default `Math.random`. */
  random?: RandomSource;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

export interface RetryPolicy {
  /** Wait limit for rate-limit resets, ms (resolved option). */
  readonly maxRateLimitWaitMs: number;
  /** Record that an operation started (feeds the budget). */
  recordOperation(): void;
  /** Decides whether to retry a failed attempt, and after how long. */
  decide(context: RetryContext): RetryDecision;
}

/**
 * Creates a retry policy. Trusts its options: the client validated them through
 * `clientSettingsSchema`.
 *
 * @example
 * const policy = createRetryPolicy({ maxAttempts: 3, budget: { ratio: 0.1 } });
 * const d = policy.decide({
 *   method: 'GET',
 *   failure: { kind: 'error', requestSent: 'maybe' },
 *   hasIdempotencyKey: false,
 *   attempts: 1,
 *   rateLimitedAttempts: 0,
 *   rateLimitReadyAtMs: 0,
 *   nowMs: Date.now(),
 * });
 * if (d.retry) await sleep(d.delayMs);
 */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_RETRY.maxRateLimitWaitMs;
  const maxRateLimitedAttempts = options.maxRateLimitedAttempts ?? DEFAULT_RETRY.maxRateLimitedAttempts;
  const now = options.now ?? Date.now;
  const backoff = createBackoff({ ...options.backoff, random: options.backoff?.random ?? options.random });
  const budget: RetryBudget | null =
    options.budget === false
      ? null
      : createRetryBudget({ ...options.budget, now: options.budget?.now ?? now });

  return {
    maxRateLimitWaitMs,
    recordOperation() {
      budget?.recordRequest();
    },
    decide({ method, failure, hasIdempotencyKey, attempts, rateLimitedAttempts, rateLimitReadyAtMs, nowMs }) {
      const retryClass = classifyFailure(method, failure);
      if (retryClass === 'never') return { retry: false, reason: 'not-retryable' };
      if (retryClass === 'retry-with-idempotency-key' && !hasIdempotencyKey) {
        return { retry: false, reason: 'ambiguous-post' };
      }
      if (failure.kind === 'status' && failure.status === 429) {
        if (rateLimitedAttempts >= maxRateLimitedAttempts)
          return { retry: false, reason: 'max-rate-limited' };
        if (rateLimitReadyAtMs - nowMs > maxRateLimitWaitMs)
          return { retry: false, reason: 'rate-limit-wait' };
        // The limiter holds the retry until the reset; no extra delay here.
        return { retry: true, delayMs: 0 };
      }
      if (attempts >= maxAttempts) return { retry: false, reason: 'max-attempts' };
      let delayMs = backoff.delayMs(attempts);
      if (failure.kind === 'status' && failure.retryAfterAtMs !== null) {
        const askedMs = failure.retryAfterAtMs - nowMs;
        if (askedMs > maxRateLimitWaitMs) return { retry: false, reason: 'rate-limit-wait' };
        if (askedMs > delayMs) delayMs = askedMs;
      }
      if (budget !== null && !budget.tryWithdraw()) return { retry: false, reason: 'budget' };
      return { retry: true, delayMs };
    },
  };
}
