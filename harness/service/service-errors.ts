import { ERROR_CODES, HarnessError } from '../util/errors.js';
import type { LimitDecision, UserLimitName } from './types.js';

/**
 * The session service's errors. Each carries the user and the action it failed in, so the
 * one place that logs it (the service's public method) and the one that answers for it (the
 * chat app) need nothing else; the client's own typed error stays reachable as `cause`.
 */

/** Stable codes of the service's errors. @example if (err.code === ServiceErrorCode.userLimited) … */
export const ServiceErrorCode = {
  /** A call to the Nexus API (or a store) failed; `cause` says how. */
  failed: ERROR_CODES.serviceFailed,
  /** A per-user limit refused the call; nothing was sent. */
  userLimited: ERROR_CODES.serviceUserLimited,
} as const;
export type ServiceErrorCode = (typeof ServiceErrorCode)[keyof typeof ServiceErrorCode];

/** What the service was doing: the public method that failed. */
export type ServiceAction = 'startConversation' | 'sendMessage' | 'chat';

/**
 * A service call failed. `cause` is the error of the layer below (a client error such as
 * `RateLimitedError`, `NexusApiError`, `TimeoutError`, or a store's error), unchanged.
 *
 * @example
 * catch (err) { if (isServiceError(err) && isRateLimitedError(err.cause)) retryLater() }
 */
export class ServiceError extends HarnessError {
  readonly userId: string;
  readonly action: ServiceAction;

  constructor(userId: string, action: ServiceAction, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(ServiceErrorCode.failed, `Failed to ${action} for user ${JSON.stringify(userId)}: ${why}`, {
      cause,
    });
    this.userId = userId;
    this.action = action;
  }
}

/**
 * A per-user limit refused the call (nothing was sent to the API). `retryAfterMs` is when the
 * refusing window next lets a call through.
 *
 * @example
 * catch (err) { if (isUserLimitError(err)) reply.header('retry-after', Math.ceil(err.retryAfterMs / 1000)) }
 */
export class UserLimitError extends HarnessError {
  readonly userId: string;
  readonly action: ServiceAction;
  readonly decision: LimitDecision;
  /** The window that refused. */
  readonly limit: UserLimitName;
  /** Ms until that window lets a call through again. */
  readonly retryAfterMs: number;

  constructor(userId: string, action: ServiceAction, decision: LimitDecision) {
    const limit = decision.refusedBy ?? 'messagesPerMinute';
    super(
      ServiceErrorCode.userLimited,
      `Failed to ${action} for user ${JSON.stringify(userId)}: over the ${limit} limit. ` +
        `Retry in ${Math.ceil(decision.resetMs / 1000)} s.`,
    );
    this.userId = userId;
    this.action = action;
    this.decision = decision;
    this.limit = limit;
    this.retryAfterMs = decision.resetMs;
  }
}

/** True for a {@link ServiceError} from any copy of the package. @example if (isServiceError(e)) e.cause */
export const isServiceError = (value: unknown): value is ServiceError =>
  HarnessError.is(value) && value.code === ServiceErrorCode.failed;

/** True for a {@link UserLimitError}. @example if (isUserLimitError(e)) e.decision.refusedBy */
export const isUserLimitError = (value: unknown): value is UserLimitError =>
  HarnessError.is(value) && value.code === ServiceErrorCode.userLimited;
