import type { CounterHandle, RateHandle, SampleSink, TrendHandle } from '../types.js';

/** The recorder handles of one operation kind: what each finished operation records. */
export interface OpHandles {
  /** `op_duration`, from the intended start. */
  duration: TrendHandle;
  /** `ops`. */
  count: CounterHandle;
  /** `op_failed`. */
  failed: RateHandle;
}

/**
 * The handles of one operation kind on one executor (`tags` = `{ op, executor }`), made once
 * and kept by the caller: the op mix and scripted iterations record the same three metrics.
 *
 * @example
 * const h = opHandlesFor(sink, { op: 'send_message', executor: 'main' });
 * h.duration.record(12.5); h.count.add(1); h.failed.add(false);
 */
export function opHandlesFor(sink: SampleSink, tags: Readonly<Record<string, string>>): OpHandles {
  return {
    duration: sink.trend('op_duration', tags),
    count: sink.counter('ops', tags),
    failed: sink.rate('op_failed', tags),
  };
}
