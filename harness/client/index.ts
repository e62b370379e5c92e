/**
 * The Nexus client's public entry point. Import from here, not from the files behind it.
 *
 * @example
 * import { createNexusClient, isRateLimitedError } from './harness/client/index.js';
 */
export { type Backoff, type BackoffOptions, createBackoff, type RandomSource } from './backoff.js';
export { type Batcher, type BatcherOptions, createBatcher } from './batcher.js';
export {
  type CallOptions,
  type CloseOptions,
  createNexusClient,
  type NexusClient,
  type WaitForReplyOptions,
} from './client.js';
export { type Coalescer, createCoalescer } from './coalescer.js';
export {
  ClientClosedError,
  ClientErrorCode,
  isClientClosedError,
  isNetworkError,
  isNexusApiError,
  isQueueFullError,
  isRateLimitedError,
  isTimeoutError,
  isValidationError,
  NetworkError,
  NexusApiError,
  QueueFullError,
  RateLimitedError,
  REDACTED,
  type RequestSent,
  redactSecret,
  TimeoutError,
  type TimeoutPhase,
  ValidationError,
} from './errors.js';
export type {
  AttemptEndEvent,
  AttemptOutcome,
  AttemptStartEvent,
  ClientHooks,
  OperationEndEvent,
  OperationInfo,
  OperationName,
  OperationStartEvent,
  QueuedEvent,
  RateLimitStateEvent,
  ResponseHeadersEvent,
  RetryScheduledEvent,
} from './hooks.js';
export type { Limiter, RateLimitOptions, RedisClusterOptions, WindowBudget } from './limiter.js';
export type {
  ApiErrorBody,
  CreatedSession,
  ListMessagesQuery,
  Message,
  MessageType,
  SendResult,
  Session,
  SessionStatus,
} from './models.js';
export {
  type BatchingOptions,
  DEFAULT_BASE_URL,
  keyFingerprint,
  type NexusClientOptions,
  type PollingOptions,
} from './options.js';
export {
  buildClientSettingsSchema,
  type ClientSettingsValues,
  clientSettingsSchema,
  DEFAULT_BACKOFF,
  DEFAULT_BATCHING,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_POLLING,
  DEFAULT_POOL,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETRY,
  DEFAULT_RETRY_BUDGET,
  DEFAULT_TIMEOUTS,
} from './options-schema.js';
export type { PoolOptions } from './pool.js';
export { parseRetryAfter, type RateLimitHeaders, readRateLimitHeaders } from './rate-limit-headers.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export {
  type AttemptFailure,
  classifyFailure,
  createRetryPolicy,
  type RetryClass,
  type RetryContext,
  type RetryDecision,
  type RetryPolicy,
  type RetryPolicyOptions,
} from './retry-policy.js';
export {
  type ClientTimers,
  realTimers,
  type SleepUntilClock,
  type TimerHandle,
  timersFromClock,
} from './timers.js';
export type {
  Transport,
  TransportRequest,
  TransportResponse,
  TransportStats,
  TransportTimeouts,
} from './transport.js';
export type { TransportKind } from './transport-auto.js';
