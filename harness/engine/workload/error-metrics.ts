import { createRedactor } from '../../util/redact.js';
import type { CounterHandle, SampleSink, Tags } from '../types.js';
import { createReasonTally, printable } from './reason-tally.js';

/** Longest example message kept per reason, characters (longer ones end in `…`). */
export const MAX_EXAMPLE_LENGTH = 200;

/** Distinct reasons kept as `attempt_errors` tags before the rest count as one `other` reason. */
export const MAX_ERROR_REASONS = 20;

/** Options of {@link createErrorMetrics}. */
export interface ErrorMetricsOptions {
  /** Secrets to replace with `[redacted]` in example messages (the API key in use, `NEXUS_*` secrets). */
  secrets?: Iterable<string | null | undefined>;
  /** Distinct reasons kept. Default {@link MAX_ERROR_REASONS}. */
  maxReasons?: number;
}

/**
 * The `attempt_errors` counter and its examples: each failed attempt counted by op and reason, and the
 * first message seen for each reason. Only failures reach it, so the successful path costs
 * nothing; a handle per (op, reason) is made on its first failure and kept.
 *
 * @example
 * const errors = createErrorMetrics(recorder, { secrets: [apiKey] });
 * errors.record({ op: 'get_session' }, '404', 'Failed to GET /thread/{id}: status 404: Not Found.');
 * errors.examples(); // { '404': 'Failed to GET /thread/{id}: status 404: Not Found.' }
 */
export interface ErrorMetrics {
  /** Counts one failure of `reason` on `attempt_errors{...tags, reason}`; `message` becomes the reason's example if it has none. */
  record(tags: Tags, reason: string, message: string): void;
  /** Reason → its first example message, redacted and at most {@link MAX_EXAMPLE_LENGTH} characters. */
  examples(): Record<string, string>;
}

/**
 * The `reason` tag of a failed attempt: the exact status of an answer that is neither 2xx nor
 * 429 (`'404'`, `'503'`); without an answer, the error's errno (`ECONNRESET`, `ETIMEDOUT`) or
 * else its code (`NH_CLIENT_TIMEOUT`, `NH_CLIENT_API_ERROR` for a 2xx whose body is not JSON);
 * `null` for a 429 (rate-limited is not an error) and for a 2xx that did not fail.
 *
 * @example
 * attemptErrorReason(404, undefined); // '404'
 * attemptErrorReason(null, networkError); // 'ECONNRESET'
 * attemptErrorReason(429, apiError); // null
 */
export function attemptErrorReason(status: number | null, error: unknown): string | null {
  if (status === 429) return null;
  if (status !== null && (status < 200 || status >= 300)) return String(status);
  const { errno, code, name } = (error ?? {}) as { errno?: unknown; code?: unknown; name?: unknown };
  if (typeof errno === 'string' && errno !== '' && errno !== 'UNKNOWN') return errno;
  if (typeof code === 'string' && code !== '') return code;
  if (status !== null) return null;
  return typeof name === 'string' && name !== '' ? name : 'UNKNOWN';
}

/**
 * An error's message, or `String(value)` for anything else thrown. Never throws.
 *
 * @example
 * messageOf(new NetworkError('POST /thread', 'ECONNRESET', 'maybe')); // 'Failed to POST /thread: network error ECONNRESET. …'
 * messageOf(Object.create(null)); // '[unprintable object]'
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    try {
      return printable(error.message);
    } catch {
      return '[unprintable message]';
    }
  }
  return printable(error);
}

/**
 * Creates the `attempt_errors` counter's recorder on `sink`.
 *
 * @example
 * const errors = createErrorMetrics(recorder, { secrets: [target.apiKey] });
 */
export function createErrorMetrics(sink: SampleSink, options: ErrorMetricsOptions = {}): ErrorMetrics {
  const tally = createReasonTally({ maxReasons: options.maxReasons ?? MAX_ERROR_REASONS });
  const redactor = createRedactor(options.secrets ?? []);
  const handles = new Map<string, CounterHandle>();
  const examples = new Map<string, string>();
  return {
    record(tags, reason, message) {
      const key = tally.add(reason);
      const id = `${JSON.stringify(tags)}\u0000${key}`;
      let handle = handles.get(id);
      if (handle === undefined) {
        handle = sink.counter('attempt_errors', { ...tags, reason: key });
        handles.set(id, handle);
      }
      handle.add(1);
      if (!examples.has(key)) {
        const text = redactor.redact(message.replace(/\s+/g, ' ').trim());
        examples.set(
          key,
          text.length > MAX_EXAMPLE_LENGTH ? `${text.slice(0, MAX_EXAMPLE_LENGTH - 1)}…` : text,
        );
      }
    },
    examples: () => Object.fromEntries(examples),
  };
}
