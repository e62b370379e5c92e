/**
 * The errors and type guards every entry point of the package exports, so a caller can tell
 * one nexus-harness error from another whichever entry point it imported: the root
 * `HarnessError` (`HarnessError.is`), `UsageError` (`isUsageError`), `ConfigError` (every
 * validation problem at once), the catalogue of codes, and the client's typed errors with
 * their guards. Every guard checks a brand and a code, so it holds across duplicate copies of
 * the package. Not an entry point itself.
 *
 * @example
 * import { isRateLimitedError, isUsageError } from 'nexus-harness/engine';
 * try { await run() } catch (err) { if (isUsageError(err)) process.exitCode = 2; }
 */
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
  type RequestSent,
  TimeoutError,
  type TimeoutPhase,
  ValidationError,
} from '../client/errors.js';
export { ERROR_CODES, type ErrorCode, HarnessError, isUsageError, UsageError } from '../util/errors.js';
export { isRedirectRefusedError, RedirectRefusedError } from '../util/request-no-redirect.js';
export { ConfigError, isConfigError, type ValidationProblem } from '../util/validation.js';
