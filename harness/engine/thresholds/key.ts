/**
 * k6's threshold keys: a metric name with an optional tag filter,
 * `metric{tag:value,tag2:value}`. Whitespace around names and values is ignored; a value may
 * be quoted (`{op:"send"}`); values cannot contain `,` or `}`.
 */

/**
 * A parsed key.
 *
 * @example
 * const k: ThresholdKey = { metric: 'http_req_duration', filter: { op: 'send' } };
 */
export interface ThresholdKey {
  metric: string;
  /** Tags a tag set must include to be selected; null for no filter (every tag set). */
  filter: Readonly<Record<string, string>> | null;
}

/**
 * The outcome of parsing a key: the key, or why it is not one.
 *
 * @example
 * const r = parseThresholdKey('ops{op:send}');
 * if (r.ok) r.key.filter; // { op: 'send' }
 */
export type KeyParse = { ok: true; key: ThresholdKey } | { ok: false; error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TAG = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses a threshold key. Never throws.
 *
 * @example
 * parseThresholdKey('http_req_duration{op:send, status:2xx}');
 * // { ok: true, key: { metric: 'http_req_duration', filter: { op: 'send', status: '2xx' } } }
 */
export function parseThresholdKey(text: string): KeyParse {
  const trimmed = text.trim();
  const brace = trimmed.indexOf('{');
  const metric = (brace === -1 ? trimmed : trimmed.slice(0, brace)).trim();
  if (!NAME.test(metric)) {
    return {
      ok: false,
      error: `'${metric}' is not a metric name: expected letters, digits and _ (e.g. http_req_duration)`,
    };
  }
  if (brace === -1) return { ok: true, key: { metric, filter: null } };
  if (!trimmed.endsWith('}'))
    return { ok: false, error: `tag filter must end with '}': expected ${metric}{tag:value}` };
  const body = trimmed.slice(brace + 1, -1);
  if (body.includes('{') || body.includes('}')) {
    return { ok: false, error: `tag filter '{${body}}' must not contain braces` };
  }
  if (body.trim() === '') return { ok: false, error: `empty tag filter: expected ${metric}{tag:value}` };
  const filter: Record<string, string> = {};
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon === -1)
      return { ok: false, error: `tag filter entry '${part.trim()}' needs the form tag:value` };
    const tag = part.slice(0, colon).trim();
    let value = part.slice(colon + 1).trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    if (!TAG.test(tag))
      return { ok: false, error: `'${tag}' is not a tag name: expected letters, digits, _, . or -` };
    if (value === '') return { ok: false, error: `tag '${tag}' has an empty value` };
    if (tag in filter) return { ok: false, error: `tag '${tag}' appears twice in the filter` };
    filter[tag] = value;
  }
  return { ok: true, key: { metric, filter } };
}
