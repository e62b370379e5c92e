/**
 * Validation of the public API's request bodies and query strings. Each function returns
 * either the validated value or an error message for a 400; none throws.
 */

/** A validation failure: the message of the 400 to send. */
export interface Invalid {
  invalid: string;
}

function isInvalid<T>(value: T | Invalid): value is Invalid {
  return typeof value === 'object' && value !== null && 'invalid' in value;
}

export { isInvalid };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in Unicode code points, counted only when the UTF-16 length could exceed `max`. */
function exceeds(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

/** Checks message content: a non-blank string of at most `maxLength` characters. */
export function validateContent(value: unknown, field: string, maxLength: number): string | Invalid {
  if (typeof value !== 'string') return { invalid: `${field} must be a string` };
  if (value.trim().length === 0) return { invalid: `${field} must not be empty` };
  if (exceeds(value, maxLength)) return { invalid: `${field} must be at most ${maxLength} characters` };
  return value;
}

/** `POST /thread`: an optional body with an optional first `message`. Returns the message or null. */
export function validateCreateBody(body: unknown, maxLength: number): string | null | Invalid {
  if (body === undefined) return null;
  if (!isPlainObject(body)) return { invalid: 'body must be a JSON object' };
  if (body.message === undefined) return null;
  return validateContent(body.message, 'message', maxLength);
}

/** `POST /thread/{id}/messages`: `{ content }`. */
export function validateSendBody(body: unknown, maxLength: number): string | Invalid {
  if (!isPlainObject(body)) return { invalid: 'body must be a JSON object with a "content" string' };
  return validateContent(body.content, 'content', maxLength);
}

/** The validated query of `GET /thread/{id}/messages`. */
export interface ListQuery {
  limit: number;
  order: 'asc' | 'desc';
  after: string | null;
  before: string | null;
}

const DIGITS = /^\d{1,3}$/;

/** Parses and checks `limit` (1–100, default 20), `order` (`asc`|`desc`), `after`, `before`. */
export function validateListQuery(query: string): ListQuery | Invalid {
  const result: ListQuery = { limit: 20, order: 'asc', after: null, before: null };
  if (query === '') return result;
  const params = new URLSearchParams(query);
  for (const name of ['limit', 'order', 'after', 'before']) {
    if (params.getAll(name).length > 1) return { invalid: `${name} must be given at most once` };
  }
  const limit = params.get('limit');
  if (limit !== null) {
    const n = DIGITS.test(limit) ? Number(limit) : Number.NaN;
    if (!(n >= 1 && n <= 100)) return { invalid: 'limit must be an integer from 1 to 100' };
    result.limit = n;
  }
  const order = params.get('order');
  if (order !== null) {
    if (order !== 'asc' && order !== 'desc') return { invalid: 'order must be "asc" or "desc"' };
    result.order = order;
  }
  for (const name of ['after', 'before'] as const) {
    const cursor = params.get(name);
    if (cursor !== null) {
      if (cursor === '') return { invalid: `${name} must be a message id` };
      result[name] = cursor;
    }
  }
  return result;
}
