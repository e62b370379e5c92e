import type { GeneratorHealthReport } from './generator-health.js';

/**
 * Limits beyond which the generator, not the target, is called the bottleneck.
 *
 * @example
 * createRecorder({ limits: { maxEventLoopDelayP99Ms: 50, maxCpuCores: 0.8 } });
 */
export interface GeneratorLimits {
  /** Event-loop delay p99 above this, ms, means operations started or were timed late. Default 20. */
  maxEventLoopDelayP99Ms?: number;
  /**
   * Process CPU, in cores, averaged over the load's busiest window (5 s by default), at or above
   * which the generator is called saturated. Default 0.9: JavaScript runs on one core, so 90 %
   * of one core leaves no headroom for timers to fire on time.
   */
  maxCpuCores?: number;
}

/**
 * The warnings for a generator health report. Both figures are the load window's (the ticks
 * from just before the executors' first sample to just after their last; see
 * `GeneratorHealthReport`), not the whole run's:
 * start-up, the client's close and the audit are not load. The rule: the generator was the
 * bottleneck when, during the load,
 *
 * 1. its event-loop delay p99 (beyond the monitor's resolution) exceeded
 *    `maxEventLoopDelayP99Ms` (20 ms): one in a hundred timer callbacks, and so operation
 *    starts and completions, ran that late, and the recorded latencies include that wait; or
 * 2. its process CPU over the busiest window of consecutive samples (5 × 1 s by default; the
 *    whole load window if shorter) reached `maxCpuCores` (0.9 of one core): the single
 *    JavaScript thread had no idle time left, so queues inside the generator, not the target, set the pace.
 *
 * Either makes the latencies and throughput a statement about the generator; lower the load
 * per process or spread it over worker processes.
 *
 * @example
 * generatorWarnings(report); // [] when healthy
 * generatorWarnings(report, { maxEventLoopDelayP99Ms: 50 });
 */
export function generatorWarnings(report: GeneratorHealthReport, limits: GeneratorLimits = {}): string[] {
  const maxDelayMs = limits.maxEventLoopDelayP99Ms ?? 20; // ms
  const maxCores = limits.maxCpuCores ?? 0.9; // cores
  const warnings: string[] = [];
  const loop = report.eventLoopDelayMs;
  if (loop && loop.p99 > maxDelayMs) {
    warnings.push(
      `Generator bottleneck: event-loop delay p99 during the load was ${loop.p99.toFixed(1)} ms (limit ${maxDelayMs} ms, ` +
        `max ${loop.max.toFixed(1)} ms), so the recorded latencies include time the load generator itself ` +
        'ran late. Lower the load per process or spread it over worker processes.',
    );
  }
  if (report.cpu.peakWindowCores >= maxCores) {
    warnings.push(
      `Generator bottleneck: process CPU reached ${report.cpu.peakWindowCores.toFixed(2)} cores over the ` +
        `load's busiest window (limit ${maxCores}), so the generator, not the target, may have set the pace. ` +
        'Lower the load per process or spread it over worker processes.',
    );
  }
  return warnings;
}
