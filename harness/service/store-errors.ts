import { ERROR_CODES, HarnessError } from '../util/errors.js';

/**
 * Errors of the service's stores (cache, session repository, user limits, their Redis
 * connection).
 */

/** Stable codes of the stores' errors. */
export const StoreErrorCode = {
  /**
   * The stores could not reach Redis (at start-up or for one call: down, not answering in
   * time), or a store was used after `close()`; `cause` says how.
   */
  unavailable: ERROR_CODES.serviceStoreUnavailable,
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

/**
 * A store could not do what it was asked: Redis unreachable at start-up, a call Redis did not
 * answer (down, or not in time), or a call after `close()`. Messages never carry a Redis password.
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

/**
 * The error for a store call Redis failed (down, timed out, refused the command): what was
 * asked, of which store, and why, with the driver's error as `cause`.
 *
 * @example
 * await client.get(key).catch((err) => { throw storeCallError('Redis cache', `get ${JSON.stringify(key)}`, err); });
 */
export function storeCallError(what: string, action: string, err: unknown): StoreError {
  const why = err instanceof Error ? err.message : String(err);
  return new StoreError(
    `Failed to ${action} in the ${what}: ${why}. Check that Redis is up and answering; the call was not retried.`,
    { cause: err },
  );
}

/**
 * Runs one call of a Redis-backed store, turning a driver failure into a {@link storeCallError}.
 *
 * @example
 * const text = await storeCall('Redis cache', `get ${JSON.stringify(key)}`, () => client.get(key));
 */
export async function storeCall<T>(what: string, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw storeCallError(what, action, err);
  }
}
