import type { Recorder } from '../recorder/index.js';

/** What the run is doing: driving load (and its graceful stop), settling the client, auditing. */
export type RunPhase = 'running' | 'closing' | 'auditing';

/** Live figures of a running scenario, for the progress line. */
export interface ProgressSnapshot {
  phase: RunPhase;
  /** What the run waits for when it is past its planned length, for people; null while on plan. */
  waitingFor: string | null;
  elapsedMs: number;
  /** Planned length minus elapsed, ms (never negative). */
  remainingMs: number;
  /** Operations completed in the last full second. */
  opsPerSec: number;
  /** `op_duration` median and 99th percentile in the last second with data, ms. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** 429 responses so far. */
  rateLimited: number;
  /** Failed operations so far. */
  errors: number;
  /** Operations so far. */
  ops: number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Reads a progress snapshot off the recorder's per-second series: the rate and percentiles
 * of the last complete interval, the totals so far. Called about once a second, off the hot
 * path.
 *
 * @example
 * const p = progressSnapshot(recorder, 30_000);
 * `${p.opsPerSec} ops/s p99 ${p.p99Ms} ms`
 */
export function progressSnapshot(
  recorder: Recorder,
  plannedMs: number,
  phase: RunPhase = 'running',
  waitingFor: string | null = null,
): ProgressSnapshot {
  const series = recorder.series();
  const elapsedMs = recorder.elapsedMs();
  // The last interval is still filling; the one before it is the latest complete second.
  const last = Math.max(0, series.ops.length - 2);
  let p = last;
  while (p > 0 && series.p50Ms[p] == null) p--;
  return {
    phase,
    waitingFor,
    elapsedMs,
    remainingMs: Math.max(0, plannedMs - elapsedMs),
    opsPerSec: (series.ops[last] ?? 0) / series.intervalSec,
    p50Ms: series.p50Ms[p] ?? null,
    p99Ms: series.p99Ms[p] ?? null,
    rateLimited: sum(series.rateLimited),
    errors: sum(series.errors),
    ops: sum(series.ops),
  };
}
