/**
 * Which metrics a k6 run of an exported script has: k6's own built-ins, plus the custom
 * metrics the script declares under our names, so an imported run judges like one of ours.
 */
import { splitSubmetric } from './import/k6-tags.js';

/**
 * k6's built-in metrics that our result model shares by name.
 *
 * @example
 * K6_BUILTIN_METRICS.has('http_req_duration'); // true
 */
export const K6_BUILTIN_METRICS: ReadonlySet<string> = new Set([
  'http_reqs',
  'http_req_duration',
  'http_req_failed',
  'iterations',
  'iteration_duration',
  'dropped_iterations',
  'checks',
  'vus',
  'vus_max',
]);

/**
 * The custom metrics an exported script declares, name → k6 constructor (and `true` for a
 * time trend). Our names, so thresholds such as `op_duration{op:send_message}` mean the same.
 *
 * @example
 * K6_SCRIPT_METRICS.op_duration; // ['Trend', true]
 */
export const K6_SCRIPT_METRICS: Readonly<Record<string, readonly ['Trend' | 'Counter' | 'Rate', boolean]>> = {
  op_duration: ['Trend', true],
  ops: ['Counter', false],
  op_failed: ['Rate', false],
  rate_limited: ['Counter', false],
  reply_latency: ['Trend', true],
};

/**
 * True when a k6 run of an exported script measures the metric a threshold key names
 * (`completion`, the audit's metrics, `queue_time`… are the harness's own).
 *
 * @example
 * k6Measures('op_duration{op:send_message}'); // true
 * k6Measures('duplicates'); // false
 */
export function k6Measures(key: string): boolean {
  const { name } = splitSubmetric(key);
  return K6_BUILTIN_METRICS.has(name) || Object.hasOwn(K6_SCRIPT_METRICS, name);
}
