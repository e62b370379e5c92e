import type { ResponseHeaders } from './rate-limit-headers.js';

/**
 * Timing hooks. The client calls them at each step of an operation and each of its
 * attempts; a recorder (the engine's, a test's, a logger) listens without the client knowing
 * what it is. An event object is only built when its hook is set, so unused hooks cost nothing.
 * Hooks run synchronously on the hot path: keep them short. A hook that throws is ignored.
 *
 * Times (`atMs`, `startedAtMs`) are readings of the client's clock (`timers.now()`: ms since
 * the epoch, sub-ms and monotonic on the real clock); durations (`queueTimeMs`, `durationMs`)
 * are differences of two of them, so a loopback request reads e.g. 0.2 ms, not 0.
 */

/** The operations the client offers. */
export type OperationName = 'createSession' | 'getSession' | 'sendMessage' | 'listMessages' | 'waitForReply';

/** One operation, as every event of it refers to it. Created once per operation. */
export interface OperationInfo {
  /** Per-client sequence number, from 1. */
  readonly seq: number;
  readonly name: OperationName;
  /** The caller's operation id (also sent as `x-harness-op`), if any. */
  readonly opId: string | undefined;
  /** When the client accepted the operation, ms since epoch. */
  readonly startedAtMs: number;
  /** The `Idempotency-Key` sent with every attempt, if any. */
  readonly idempotencyKey: string | undefined;
}

export interface OperationStartEvent {
  op: OperationInfo;
}

/** An attempt entered the rate limiter's queue. */
export interface QueuedEvent {
  op: OperationInfo;
  /** 1-based attempt number. */
  attempt: number;
  atMs: number;
}

/** An attempt left the limiter and goes on the wire. */
export interface AttemptStartEvent {
  op: OperationInfo;
  attempt: number;
  atMs: number;
  /** Time spent in the limiter (queue, concurrency slot, rate-limit pause), ms. */
  queueTimeMs: number;
}

/**
 * An attempt left the limiter without being sent: its caller aborted or the client closed
 * (`aborted`), or the limiter refused it (full queue, a rate-limit wait beyond the bound).
 */
export interface AttemptUnsentEvent {
  op: OperationInfo;
  attempt: number;
  atMs: number;
  /** Time it spent waiting in the limiter, ms. */
  queueTimeMs: number;
  aborted: boolean;
}

/** Response headers arrived. */
export interface ResponseHeadersEvent {
  op: OperationInfo;
  attempt: number;
  atMs: number;
  status: number;
  headers: ResponseHeaders;
}

/** How an attempt ended. */
export type AttemptOutcome = 'ok' | 'rate-limited' | 'failed';

export interface AttemptEndEvent {
  op: OperationInfo;
  attempt: number;
  atMs: number;
  /** Service time: attempt start to body read or failure, ms. */
  durationMs: number;
  /** HTTP status, `null` when no response came. */
  status: number | null;
  /** Error code when there was no usable response (e.g. `NH_CLIENT_NETWORK`), else `null`. */
  errorCode: string | null;
  outcome: AttemptOutcome;
  /**
   * What the attempt failed with, when it was not `ok`: a `NexusApiError` for a status it
   * cannot use (a 429 included), a `NetworkError` or `TimeoutError` when no answer came.
   */
  error?: Error;
}

export interface RetryScheduledEvent {
  op: OperationInfo;
  /** The attempt that failed. */
  attempt: number;
  atMs: number;
  /** Backoff before the next attempt enters the limiter, ms (429: 0, the limiter holds it). */
  delayMs: number;
  /** `status 503`, `NH_CLIENT_NETWORK ECONNRESET`, … */
  reason: string;
}

/** The client's view of the key's rate limit changed. */
export interface RateLimitStateEvent {
  atMs: number;
  /** From `X-RateLimit-Limit`, `null` until seen. */
  limit: number | null;
  /** Requests the client believes it may still start in the current window, `null` if unknown. */
  remaining: number | null;
  /** End of the current window, ms since epoch, `null` if unknown. */
  resetAtMs: number | null;
  /** The whole key is paused until then (after a 429), ms since epoch; 0 when not paused. */
  pausedUntilMs: number;
}

export interface OperationEndEvent {
  op: OperationInfo;
  atMs: number;
  durationMs: number;
  /** Attempts on the wire. */
  attempts: number;
  ok: boolean;
  /** The error's code when it failed. */
  errorCode: string | null;
}

/**
 * The hooks a caller may set; all optional.
 *
 * @example
 * const client = createNexusClient({
 *   hooks: {
 *     onAttemptEnd: (e) => histogram.record(e.durationMs),
 *     onRetryScheduled: (e) => retries.add(1, { reason: e.reason }),
 *   },
 * });
 */
export interface ClientHooks {
  onOperationStart?(event: OperationStartEvent): void;
  onQueued?(event: QueuedEvent): void;
  onAttemptStart?(event: AttemptStartEvent): void;
  onAttemptUnsent?(event: AttemptUnsentEvent): void;
  onResponseHeaders?(event: ResponseHeadersEvent): void;
  onAttemptEnd?(event: AttemptEndEvent): void;
  onRetryScheduled?(event: RetryScheduledEvent): void;
  onRateLimitState?(event: RateLimitStateEvent): void;
  onOperationEnd?(event: OperationEndEvent): void;
}

/**
 * Returns hooks that never throw into the client: each set hook wrapped once, unset ones
 * left `undefined` so the client can skip building their events.
 *
 * @example
 * const hooks = guardHooks(options.hooks);
 * if (hooks.onQueued) hooks.onQueued({ op, attempt, atMs: now() });
 */
export function guardHooks(hooks: ClientHooks = {}): ClientHooks {
  const guarded: ClientHooks = {};
  for (const name of Object.keys(hooks) as (keyof ClientHooks)[]) {
    const hook = hooks[name] as ((event: unknown) => void) | undefined;
    if (typeof hook !== 'function') continue;
    (guarded as Record<string, (event: unknown) => void>)[name] = (event) => {
      try {
        hook.call(hooks, event);
      } catch {
        // A recorder's bug must not change the client's behaviour.
      }
    };
  }
  return guarded;
}
