/**
 * The part of a logger the service layer and the chat app write to: pino's calling shape
 * (`logger.error({ userId }, 'message')`), so the redacting pino logger of
 * `logging/logger.ts` fits as it is and a test can pass a recorder.
 *
 * @example
 * const lines: unknown[] = [];
 * const log: LogSink = { error: (o, m) => lines.push([o, m]), warn: () => {}, info: () => {} };
 */
export interface LogSink {
  error(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
}

/**
 * A sink that drops everything: the default where logging is optional.
 *
 * @example
 * const service = createSessionService({ ...parts, logger: SILENT_LOG });
 */
export const SILENT_LOG: LogSink = { error() {}, warn() {}, info() {} };
