import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { createRedactor, REDACTED, type Redactor } from '../../util/redact.js';

/**
 * The service layer's structured logs: pino's JSON lines, one per event, with secrets kept out
 * twice over. Known key *fields* (`apiKey`, `headers["api-key"]`, …) are censored by pino's
 * `redact` before serialising; known secret *values* are then scrubbed from the finished line,
 * wherever they hide (a message, an error's message or stack, a URL in a field nobody named).
 * The second pass is the one that matters: a server that echoes the key into an error message
 * would otherwise put it in the log.
 */

/**
 * The narrow logging surface the service's parts take (a pino logger is one): fields first,
 * then the message, as pino orders them.
 *
 * @example
 * const log: ServiceLog = createServiceLogger({ level: 'info', secrets: () => [apiKey] });
 * log.warn({ event: 'message:received' }, 'listener failed');
 */
export interface ServiceLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The log levels accepted by {@link createServiceLogger} (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = Level | 'silent';

/**
 * Field paths pino censors whatever their value (pino's path syntax: `*` one level of any key,
 * brackets for keys that are not identifiers). Value scrubbing catches the rest; these catch a
 * key that is not (or no longer) among the known secrets, e.g. a caller logging a config object.
 */
export const REDACT_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'apiKeys',
  '*.apiKeys',
  'encryptionKey',
  '*.encryptionKey',
  'headers["api-key"]',
  'headers.authorization',
  'req.headers["api-key"]',
  'req.headers.authorization',
  'request.headers["api-key"]',
  'env.NEXUS_API_KEY',
  'env.ENCRYPTION_KEY',
  'NEXUS_API_KEY',
  'ENCRYPTION_KEY',
];

/** Options of {@link createServiceLogger}. */
export interface ServiceLoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /** Where the JSON lines go. Default: pino's own destination on stdout. */
  destination?: DestinationStream | NodeJS.WritableStream;
  /**
   * The secret values to scrub from every line, asked for each line (so a key added by a
   * rotation is scrubbed from the next line on). Values shorter than 6 characters are ignored
   * (they would match ordinary text; see `MIN_SECRET_LENGTH`).
   */
  secrets: () => readonly string[];
  /** Fields on every line, e.g. `{ service: 'chat' }`. Default none. */
  base?: Record<string, unknown>;
}

/**
 * A redactor rebuilt only when the secrets change: building one sorts and escapes the list,
 * while a line only needs `includes` per secret. The list is compared by value, since
 * `secrets()` may return a fresh array each time.
 */
function cachedRedactor(secrets: () => readonly string[]): (text: string) => string {
  let last: readonly string[] = [];
  let redactor: Redactor = createRedactor([]);
  return (text) => {
    const now = secrets();
    if (now.length !== last.length || now.some((s, i) => s !== last[i])) {
      last = [...now];
      redactor = createRedactor(last);
    }
    return redactor.redact(text);
  };
}

/**
 * A pino logger for the service: JSON lines, ISO timestamps, errors under `err` with message
 * and stack, {@link REDACT_PATHS} censored and every value of `secrets()` scrubbed (also in
 * its JSON-escaped and URL-encoded forms).
 *
 * @example
 * const log = createServiceLogger({ level: 'info', secrets: () => [config.nexus.apiKey, ...rotatedKeys] });
 * log.error({ err }, 'send failed'); // the key never appears, even inside err.message
 */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  const scrub = cachedRedactor(options.secrets);
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: options.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    // The finished line, after redact and serialisers: the one place every string passes.
    hooks: { streamWrite: scrub },
  };
  return options.destination === undefined
    ? pino(settings)
    : pino(settings, options.destination as DestinationStream);
}
