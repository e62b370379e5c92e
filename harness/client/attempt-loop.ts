import type { CallOptions } from './api.js';
import {
  ClientErrorCode,
  isClientClosedError,
  isNetworkError,
  isTimeoutError,
  NexusApiError,
  RateLimitedError,
} from './errors.js';
import type { AttemptOutcome, ClientHooks, OperationInfo } from './hooks.js';
import { type Limiter, type LimiterJob, PRIORITY } from './limiter.js';
import { parseRetryAfter, type ResponseHeaders, readHeader } from './rate-limit-headers.js';
import type { Endpoint, RequestBuilder } from './request-builder.js';
import type { AttemptFailure, RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';
import type { ClientTimers } from './timers.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

/**
 * The attempt loop: runs one operation as attempts, each through limiter → transport →
 * classify → retry policy, the retry re-entering the limiter (so it never bypasses the
 * budget). It reports every step to the hooks and counts the operations in flight, for
 * `close`. It is handed its layers and knows nothing of how they were configured.
 *
 * Hot-path discipline: per operation it allocates the operation's info and its `Operation`
 * (its state, the limiter's job for every attempt, and the request); per attempt one failure
 * handler beyond what the layers allocate; hook events only when their hook is set.
 */

/** The layers one attempt passes through, and what the loop needs to describe it. */
export interface AttemptLoopLayers {
  readonly transport: Transport;
  readonly limiter: Limiter;
  readonly policy: RetryPolicy;
  /** Guarded hooks (a throwing hook is ignored). */
  readonly hooks: ClientHooks;
  /** Clock of the hooks' times and timers of the backoff sleeps. */
  readonly timers: ClientTimers;
  /** Headers, and error bodies with the key redacted. */
  readonly requests: RequestBuilder;
  /** Makes each POST's `Idempotency-Key`, stable across its attempts; `undefined`: no keys. */
  readonly newIdempotencyKey: (() => string) | undefined;
}

export interface AttemptLoop {
  /**
   * Runs one operation and reports its start and end. Resolves with the parsed 2xx body;
   * rejects with the last attempt's error, a `RateLimitedError`, or the caller's abort reason.
   */
  execute(
    endpoint: Endpoint,
    path: string,
    body: string | undefined,
    call: CallOptions | undefined,
  ): Promise<unknown>;
  /** Operations started and not yet settled. */
  active(): number;
  /** Resolves once no operation runs (at once when none does). */
  idle(): Promise<void>;
}

/**
 * Creates the attempt loop over its layers.
 *
 * @example
 * const loop = createAttemptLoop({ transport, limiter, policy, hooks, timers, requests, newIdempotencyKey: undefined });
 * const session = await loop.execute(ENDPOINTS.getSession, requests.threadPath('t1', 'get a session'), undefined, undefined);
 */
export function createAttemptLoop(layers: AttemptLoopLayers): AttemptLoop {
  const { transport, limiter, policy, hooks, timers, requests, newIdempotencyKey } = layers;
  const gate = limiter.gate;
  const maxWaitMs = policy.maxRateLimitWaitMs;

  let seq = 0;
  let active = 0;
  let onIdle: (() => void) | undefined;

  /**
   * One operation: what it carries across its attempts, the limiter's job for each of them
   * and the transport's request, in one object. The job's `task` and the request's `onHeaders`
   * are its methods, not closures made per operation (a closure bound to a name is also renamed
   * by the bundle's keepNames helper as it is made: an `Object.defineProperty` each).
   */
  class Operation implements LimiterJob<TransportResponse>, TransportRequest {
    priority: number = PRIORITY.first;
    readonly maxWaitMs = maxWaitMs;
    attempt = 0;
    /** The current attempt's response headers have been seen (the gate has heard from it). */
    observed = false;
    /** The current attempt has left the limiter for the transport. */
    sent = false;
    queuedAtMs = 0;
    /**
     * The limiter is being asked, synchronously: a `task()` now runs the moment it was queued,
     * so the queue's reading is the attempt's start too (one clock reading fewer).
     */
    admitting = false;
    attemptStartMs = 0;
    /** Failed attempts so far, 429s apart (the retry policy counts them separately). */
    failedAttempts = 0;
    rateLimitedAttempts = 0;

    constructor(
      readonly op: OperationInfo,
      readonly method: 'GET' | 'POST',
      readonly route: string,
      readonly path: string,
      readonly headers: Record<string, string>,
      readonly body: string | undefined,
      readonly signal: AbortSignal | undefined,
    ) {}

    /**
     * One attempt, once the limiter admits it. Not an async function: the transport's promise
     * with one failure handler costs less than a frame and an await.
     */
    task(): Promise<TransportResponse> {
      this.observed = false;
      this.sent = true;
      const startMs = this.admitting ? this.queuedAtMs : timers.now();
      this.attemptStartMs = startMs;
      if (hooks.onAttemptStart) {
        hooks.onAttemptStart({
          op: this.op,
          attempt: this.attempt,
          atMs: startMs,
          queueTimeMs: startMs - this.queuedAtMs,
        });
      }
      let sending: Promise<TransportResponse>;
      try {
        sending = transport.send(this);
      } catch (err) {
        this.giveBackUnobserved();
        return Promise.reject(err);
      }
      return sending.then(undefined, (err: unknown) => {
        this.giveBackUnobserved();
        throw err;
      });
    }

    /** A failed attempt whose answer never showed its headers gives its gate slot back. */
    giveBackUnobserved(): void {
      if (!this.observed) gate.abandon();
    }

    onHeaders(status: number, headers: ResponseHeaders): void {
      this.observed = true;
      const atMs = timers.now();
      gate.observe(status, headers, atMs);
      if (hooks.onResponseHeaders)
        hooks.onResponseHeaders({ op: this.op, attempt: this.attempt, atMs, status, headers });
    }
  }

  /**
   * Not an async function: the operation's promise is {@link runOperation}'s, one per
   * operation (a second async layer around it cost a promise and a resumption each).
   */
  function execute(
    endpoint: Endpoint,
    path: string,
    body: string | undefined,
    call: CallOptions | undefined,
  ): Promise<unknown> {
    let operation: Operation;
    try {
      const { name, method, route } = endpoint;
      const opId = call?.opId;
      const idempotencyKey =
        method === 'POST' && newIdempotencyKey !== undefined ? newIdempotencyKey() : undefined;
      const op: OperationInfo = { seq: ++seq, name, opId, startedAtMs: timers.now(), idempotencyKey };
      operation = new Operation(
        op,
        method,
        route,
        path,
        requests.headersFor(method, idempotencyKey, opId),
        body,
        call?.signal,
      );
    } catch (err) {
      return Promise.reject(err);
    }
    active++;
    policy.recordOperation();
    if (hooks.onOperationStart) hooks.onOperationStart({ op: operation.op });
    return runOperation(operation);
  }

  function endOperation(state: Operation, atMs: number, ok: boolean, errorCode: string | null): void {
    hooks.onOperationEnd?.({
      op: state.op,
      atMs,
      durationMs: atMs - state.op.startedAtMs,
      attempts: state.attempt,
      ok,
      errorCode,
    });
  }

  function endAttempt(
    state: Operation,
    atMs: number,
    status: number | null,
    errorCode: string | null,
    outcome: AttemptOutcome,
    error?: Error,
  ): void {
    hooks.onAttemptEnd?.({
      op: state.op,
      attempt: state.attempt,
      atMs,
      durationMs: atMs - state.attemptStartMs,
      status,
      errorCode,
      outcome,
      error,
    });
  }

  /**
   * An answer the operation cannot use: a status other than 2xx, or a 2xx whose body is not
   * JSON (`parseError`, what JSON.parse threw). Counted and reported; returns its failure for
   * the retry policy and the error the operation ends with if it is not retried.
   */
  function unusableAnswer(
    state: Operation,
    res: TransportResponse,
    parseError: { error: unknown } | null,
  ): { failure: AttemptFailure; error: NexusApiError } {
    const { route } = state;
    if (parseError !== null) {
      const error = new NexusApiError(route, res.status, requests.bodyForError(res.body), {
        cause: parseError.error,
        detail: `status ${res.status} with a body that is not JSON`,
      });
      state.failedAttempts++;
      if (hooks.onAttemptEnd)
        endAttempt(state, timers.now(), res.status, ClientErrorCode.api, 'failed', error);
      return { failure: { kind: 'error', requestSent: 'maybe' }, error };
    }
    const retryAfterAtMs = parseRetryAfter(readHeader(res.headers, 'retry-after'), timers.now());
    const error = new NexusApiError(route, res.status, requests.bodyForError(res.body));
    const limited = res.status === 429;
    if (limited) state.rateLimitedAttempts++;
    else state.failedAttempts++;
    if (hooks.onAttemptEnd) {
      endAttempt(state, timers.now(), res.status, null, limited ? 'rate-limited' : 'failed', error);
    }
    return { failure: { kind: 'status', status: res.status, retryAfterAtMs }, error };
  }

  /**
   * The operation: its attempts through limiter → transport → classify → retry policy, then
   * its end reported and its count out of {@link active}, whichever way it ends.
   */
  async function runOperation(state: Operation): Promise<unknown> {
    const { method, route, signal } = state;
    const hasIdempotencyKey = state.op.idempotencyKey !== undefined;
    try {
      for (;;) {
        state.attempt++;
        state.priority = state.attempt === 1 ? PRIORITY.first : PRIORITY.retry;
        state.sent = false;
        // The first attempt is queued the moment the operation starts: one clock reading.
        state.queuedAtMs = state.attempt === 1 ? state.op.startedAtMs : timers.now();
        if (hooks.onQueued) hooks.onQueued({ op: state.op, attempt: state.attempt, atMs: state.queuedAtMs });
        let failure: AttemptFailure;
        let error: unknown;
        try {
          state.admitting = true;
          const admitted = limiter.schedule(state);
          state.admitting = false;
          const res = await admitted;
          let parseError: { error: unknown } | null = null;
          if (res.status >= 200 && res.status < 300) {
            let value: unknown;
            try {
              value = res.body === '' ? undefined : JSON.parse(res.body);
            } catch (err) {
              parseError = { error: err };
            }
            if (parseError === null) {
              if (hooks.onAttemptEnd || hooks.onOperationEnd) {
                const atMs = timers.now();
                if (hooks.onAttemptEnd) endAttempt(state, atMs, res.status, null, 'ok');
                if (hooks.onOperationEnd) endOperation(state, atMs, true, null);
              }
              return value;
            }
          }
          ({ failure, error } = unusableAnswer(state, res, parseError));
        } catch (err) {
          state.admitting = false;
          // Not an attempt failure (caller abort, rate-limit fail-fast, full queue): give up now.
          if (!isNetworkError(err) && !isTimeoutError(err)) {
            if (!state.sent && hooks.onAttemptUnsent) {
              const atMs = timers.now();
              hooks.onAttemptUnsent({
                op: state.op,
                attempt: state.attempt,
                atMs,
                queueTimeMs: atMs - state.queuedAtMs,
                aborted: signal?.aborted === true || isClientClosedError(err),
              });
            }
            throw err;
          }
          state.failedAttempts++;
          error = err;
          failure = { kind: 'error', requestSent: err.requestSent };
          if (hooks.onAttemptEnd) endAttempt(state, timers.now(), null, err.code, 'failed', err);
        }

        const nowMs = timers.now();
        const limited = failure.kind === 'status' && failure.status === 429;
        const rateLimitReadyAtMs = limited ? gate.state().pausedUntilMs : 0;
        const decision = policy.decide({
          method,
          failure,
          hasIdempotencyKey,
          attempts: state.failedAttempts,
          rateLimitedAttempts: state.rateLimitedAttempts,
          rateLimitReadyAtMs,
          nowMs,
        });
        if (!decision.retry) {
          if (limited && (decision.reason === 'rate-limit-wait' || decision.reason === 'max-rate-limited')) {
            throw new RateLimitedError(
              route,
              rateLimitReadyAtMs || null,
              429,
              decision.reason === 'max-rate-limited'
                ? `${state.rateLimitedAttempts} answers of 429`
                : `the reset is more than ${maxWaitMs} ms away`,
            );
          }
          throw error;
        }
        if (hooks.onRetryScheduled) {
          hooks.onRetryScheduled({
            op: state.op,
            attempt: state.attempt,
            atMs: nowMs,
            delayMs: decision.delayMs,
            reason: describe(failure, error),
          });
        }
        if (decision.delayMs > 0) await sleep(decision.delayMs, signal, timers);
      }
    } catch (err) {
      if (hooks.onOperationEnd) {
        const code = (err as { code?: unknown } | null)?.code;
        endOperation(state, timers.now(), false, typeof code === 'string' ? code : null);
      }
      throw err;
    } finally {
      active--;
      if (active === 0 && onIdle !== undefined) onIdle();
    }
  }

  return {
    execute,
    active: () => active,
    idle() {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onIdle = resolve;
      });
    },
  };
}

/** The retry's reason for the hooks: the status, or the error's code and detail. */
function describe(failure: AttemptFailure, error: unknown): string {
  if (failure.kind === 'status') return `status ${failure.status}`;
  if (isNetworkError(error)) return `${error.code} ${error.errno}`;
  if (isTimeoutError(error)) return `${error.code} ${error.phase}`;
  return (error as { code?: string })?.code ?? 'error';
}
