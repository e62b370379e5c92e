/**
 * k6's tags as our result keeps them, and k6's submetric names (`name{tag:value,…}`).
 */
import { STATUS_CLASSES, statusClassIndex } from '../../../engine/workload/client-metrics.js';

/**
 * Tags k6 adds that the result drops (and `name` when it is only the URL, k6's default): `url` (one value per thread id: a tag set per request),
 * `proto`, `subproto`, `tls_version`, `ip` (connection detail, not what an engineer filters
 * on) and `error` (free text; `error_code` is kept). An empty `group` (the root) is dropped too.
 *
 * @example
 * DROPPED_TAGS.has('url'); // true
 */
export const DROPPED_TAGS: ReadonlySet<string> = new Set([
  'url',
  'proto',
  'subproto',
  'tls_version',
  'ip',
  'error',
]);

/**
 * The tags of a k6 point as the result keeps them: the `op` tag and every other user or system
 * tag except {@link DROPPED_TAGS}, values as strings, `status` as its class.
 *
 * @example
 * keptTags({ op: 'send_message', url: 'http://…/thread/9', status: '200', group: '' });
 * // { op: 'send_message', status: '2xx' }
 */
export function keptTags(tags: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (tags === null || tags === undefined) return out;
  for (const [name, value] of Object.entries(tags)) {
    if (DROPPED_TAGS.has(name) || (name === 'group' && value === '')) continue;
    // k6's `name` is the URL unless the script names the request: as many tag sets as ids then.
    if (name === 'name' && value === tags.url) continue;
    out[name] = name === 'status' ? statusClass(String(value)) : String(value);
  }
  return out;
}

/**
 * k6's exact status as our `status` tag, a class (`2xx`, `429`, `5xx`, `network` for k6's 0),
 * as our own runs record it: thresholds and reports filter the same tag sets either way.
 *
 * @example
 * statusClass('201'); // '2xx'
 * statusClass('0'); // 'network'
 */
export function statusClass(status: string): string {
  const code = Number(status);
  if (!Number.isInteger(code)) return status;
  return STATUS_CLASSES[statusClassIndex(code === 0 ? null : code)]!;
}

/** A k6 metric key split: the metric's name and the submetric's tag filter (empty for the metric itself). */
export interface SubmetricKey {
  name: string;
  tags: Record<string, string>;
}

/**
 * Splits a k6 metric key such as `http_req_duration{op:get_session,status:200}` (as summaries
 * and thresholds write them) into the name and the tags.
 *
 * @example
 * splitSubmetric('http_req_duration{op:get_session}'); // { name: 'http_req_duration', tags: { op: 'get_session' } }
 * splitSubmetric('iterations'); // { name: 'iterations', tags: {} }
 */
export function splitSubmetric(key: string): SubmetricKey {
  const open = key.indexOf('{');
  if (open < 0 || !key.endsWith('}')) return { name: key, tags: {} };
  const tags: Record<string, string> = {};
  for (const part of key.slice(open + 1, -1).split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    tags[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return { name: key.slice(0, open), tags };
}
