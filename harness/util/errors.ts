/**
 * The root of every error nexus-harness throws on purpose. Each carries a stable `code`
 * (checked with type guards, never by matching message text) and, where there is one, the
 * `cause` that led to it.
 *
 * The brand survives duplicate copies of the package in one process, where `instanceof`
 * would not.
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

  /** True for any nexus-harness error, whichever copy of the package created it. */
  static is(value: unknown): value is HarnessError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

const BRAND = Symbol.for('nexus-harness.error');
Object.defineProperty(HarnessError.prototype, BRAND, { value: true });
