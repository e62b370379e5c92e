import { HarnessError } from '../util/errors.js';

/**
 * Errors of the service's stores (cache, session repository, user limits, their Redis
 * connection). The code is the service's own, as `service-errors.ts` keeps its codes, rather
 * than util's shared catalogue.
 */

/** Stable codes of the stores' errors. */
export const StoreErrorCode = {
  /** The stores could not reach Redis, or a store was used after `close()`; `cause` says how. */
  unavailable: 'NH_SERVICE_STORE_UNAVAILABLE',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

/**
 * A store could not do what it was asked: Redis unreachable at start-up, or a call after
 * `close()`. Messages never carry a Redis password.
 *
 * @example
 * try { await createServiceStores({ redisUrl }) } catch (err) {
 *   if (isStoreError(err)) console.error(err.message); // names the URL, without its password
 * }
 */
export class StoreError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.unavailable, message, options);
  }
}

/**
 * Type guard for {@link StoreError}, from any copy of the package.
 *
 * @example
 * if (isStoreError(err)) reply.code(503);
 */
export function isStoreError(value: unknown): value is StoreError {
  return HarnessError.is(value) && value.code === StoreErrorCode.unavailable;
}

/**
 * The error for a call on a store after its `close()`.
 *
 * @example
 * if (closed) throw closedStoreError('cache');
 */
export function closedStoreError(what: string): StoreError {
  return new StoreError(`Failed to use the ${what}: it was closed. Make a new one (createServiceStores).`);
}
