/**
 * Every code a nexus-harness error can carry, in one catalogue: what a caller may branch on.
 * Codes are stable across versions; messages are for people and may change.
 *
 * @example
 * if (HarnessError.is(err) && err.code === ERROR_CODES.usage) process.exitCode = 2;
 */
export const ERROR_CODES = {
  /** A request the caller should not have made: a bad flag, a refused target, a bad pact file. */
  usage: 'NH_USAGE',
  /** A configuration, scenario or option set that fails validation (`ConfigError`, with every problem). */
  configInvalid: 'NH_CONFIG_INVALID',
  /** A redirect the harness refused to follow (it never follows one off loopback). */
  redirect: 'NH_REDIRECT',
  /** The mock's ledger could not be read. */
  ledger: 'NH_LEDGER',
  /** A result document that is not one (`parseResult`). */
  resultInvalid: 'NH_RESULT_INVALID',
  /** Results that cannot be merged (different metrics, kinds, histogram settings). */
  resultMerge: 'NH_RESULT_MERGE',
  /** A metric used as a kind it is not (a counter read as a trend). */
  metricKind: 'NH_METRIC_KIND',
  /** A threshold or custom metric naming a metric the run does not have. */
  metricUnknown: 'NH_METRIC_UNKNOWN',
  /** A Pact provider state the mock cannot set up. */
  contractState: 'NH_CONTRACT_STATE',
  /** The client: the server answered with a status or body the operation cannot use. */
  clientApi: 'NH_CLIENT_API_ERROR',
  /** The client: a 429 that ran out of attempts. */
  clientRateLimited: 'NH_CLIENT_RATE_LIMITED',
  /** The client: an attempt or operation timed out. */
  clientTimeout: 'NH_CLIENT_TIMEOUT',
  /** The client: the connection failed (reset, refused, DNS). */
  clientNetwork: 'NH_CLIENT_NETWORK',
  /** The client: a call with invalid arguments, refused before anything was sent. */
  clientValidation: 'NH_CLIENT_VALIDATION',
  /** The client: its queue is full. */
  clientQueueFull: 'NH_CLIENT_QUEUE_FULL',
  /** The client: it was closed. */
  clientClosed: 'NH_CLIENT_CLOSED',
  /** The service layer: a call to the Nexus API (or a store) failed for a user. */
  serviceFailed: 'NH_SERVICE_FAILED',
  /** The service layer: a per-user limit refused the call; nothing was sent. */
  serviceUserLimited: 'NH_SERVICE_USER_LIMITED',
  /** The service layer's stores: Redis unreachable or not answering, or a store used after close. */
  serviceStoreUnavailable: 'NH_SERVICE_STORE_UNAVAILABLE',
} as const;
/** One of {@link ERROR_CODES}' values. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const BRAND = Symbol.for('nexus-harness.error');

/**
 * The root of every error nexus-harness throws on purpose. Each carries a stable `code` from
 * {@link ERROR_CODES} (checked with type guards, never by matching message text) and, where
 * there is one, the `cause` that led to it.
 *
 * The brand survives duplicate copies of the package in one process (two versions in
 * `node_modules`, a bundled copy): `HarnessError.is(err)`, `UsageError.is(err)` and
 * `err instanceof UsageError` look at the brand and the class name, not at object identity.
 * The `is…Error()` guards (`isUsageError`, `isConfigError`, the client's) look at the brand
 * and the code: codes are the stable contract (`ERROR_CODES`), and they survive a minifier
 * that renames classes.
 *
 * @example
 * try { loadConfig(file) } catch (err) {
 *   if (HarnessError.is(err) && err.code === 'NH_CONFIG_INVALID') process.exitCode = 2;
 * }
 */
export class HarnessError extends Error {
  /** Stable machine-readable identifier, e.g. `NH_CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /**
   * True for a nexus-harness error of this class, whichever copy of the package created it:
   * `HarnessError.is(err)` for any of them, `ConfigError.is(err)` only for a ConfigError (or a
   * subclass). Also works detached (`errors.filter(HarnessError.is)`).
   */
  static is<T extends HarnessError>(
    this: (abstract new (...args: never[]) => T) | undefined,
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about (a subclass too); undefined when detached.
    return isOfClass(value, this ?? HarnessError);
  }

  /**
   * `instanceof` across copies of the package: a branded error whose prototype chain has a
   * class of this name (so `err instanceof UsageError` holds for another copy's UsageError).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asked about (a subclass too).
    return isOfClass(value, this);
  }
}

/** Branded, and (for a subclass) a class of `cls`'s name in the prototype chain. */
function isOfClass(value: unknown, cls: { name: string }): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  if (cls === HarnessError) return true;
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === cls.name) return true;
  }
  return false;
}
Object.defineProperty(HarnessError.prototype, BRAND, { value: true });

/**
 * The one error for "the caller asked for something we will not or cannot do": a bad flag or
 * argument, a target the harness must not load, a pact file with nothing to serve. Code
 * `NH_USAGE`; the CLI exits 2 on it.
 *
 * @example
 * if (!isLoopbackHost(host) && !allowRemote) throw new UsageError(`Refusing to send load to ${host} …`);
 */
export class UsageError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.usage, message, options);
  }
}

/**
 * Type guard for {@link UsageError}, from any copy of the package.
 *
 * @example
 * catch (err) { if (isUsageError(err)) { console.error(err.message); process.exitCode = 2; } }
 */
export function isUsageError(value: unknown): value is UsageError {
  return HarnessError.is(value) && value.code === ERROR_CODES.usage;
}
