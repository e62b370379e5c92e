/**
 * A scenario's thresholds in k6's grammar. Ours already are k6's (`key: [expr | { threshold,
 * abortOnFail, delayAbortEval }]`), so translating is choosing: a threshold on a metric a k6
 * run measures is kept; one on a metric only the harness measures (`completion`, the audit's,
 * `queue_time`…) is left out, and named, so the script says what it does not check.
 */
import { k6Measures } from '../k6-metrics.js';

/** What {@link k6Thresholds} gives back. */
export interface K6Thresholds {
  /** For `options.thresholds`. */
  kept: Record<string, unknown[]>;
  /** Keys left out: k6 has no such metric. */
  left: string[];
}

/**
 * Splits `thresholds` into those k6 can check and those it cannot. `allowNoData` (ours) is
 * dropped from threshold objects: k6 does not know the field.
 *
 * @example
 * k6Thresholds({ 'op_duration{op:send_message}': ['p(95)<500'], duplicates: ['count==0'] });
 * // { kept: { 'op_duration{op:send_message}': ['p(95)<500'] }, left: ['duplicates'] }
 */
export function k6Thresholds(thresholds: Readonly<Record<string, readonly unknown[]>>): K6Thresholds {
  const kept: Record<string, unknown[]> = {};
  const left: string[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    if (!k6Measures(key)) {
      left.push(key);
      continue;
    }
    kept[key] = list.map((t) => {
      if (typeof t !== 'object' || t === null) return t;
      const { allowNoData: _ours, ...k6 } = t as Record<string, unknown>;
      return k6;
    });
  }
  return { kept, left };
}
