/**
 * The load generator's own health over a run: how late its event loop ran and how much CPU
 * the process used. A generator that is itself saturated delays the operations it times, so
 * its latencies describe the generator, not the target; {@link generatorWarnings} says so.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The part of Node's `IntervalHistogram` used here (values in ns).
 *
 * @example
 * const monitor: EventLoopDelayMonitor = monitorEventLoopDelay({ resolution: 10 });
 */
export interface EventLoopDelayMonitor {
  enable(): boolean | undefined;
  disable(): boolean | undefined;
  percentile(percentile: number): number;
  readonly max: number;
  readonly mean: number;
  readonly count: number;
}

/**
 * The generator's health as written to the result.
 *
 * @example
 * const { eventLoopDelayMs, cpu } = health.report(performance.now());
 */
export interface GeneratorHealthReport {
  /**
   * Event-loop delay beyond the monitor's resolution, ms (0 = timers fired on time); null
   * when the monitor was off or took no samples.
   */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number } | null;
  cpu: {
    /** Process CPU (user + system) over the whole run, in cores (1 = one core busy all the time). */
    meanCores: number;
    /** Highest CPU over any window of `cpuWindowSamples` consecutive samples, cores. */
    peakWindowCores: number;
    userMs: number;
    systemMs: number;
  };
  /** CPU samples taken (one per `sampleIntervalMs`). */
  samples: number;
}

/**
 * How the generator's health is sampled; every field has a default.
 *
 * @example
 * createGeneratorHealth(0, { sampleIntervalMs: 500, cpuUsage: () => ({ user: 0, system: 0 }) });
 */
export interface GeneratorHealthOptions {
  /** Interval between CPU samples, ms. Default 1 000. */
  sampleIntervalMs?: number;
  /** Samples averaged for `peakWindowCores`. Default 5 (5 s at the default interval). */
  cpuWindowSamples?: number;
  /** Event-loop monitor resolution, ms. Default 10 (Node's default). */
  eventLoopResolutionMs?: number;
  /** CPU source, µs (as `process.cpuUsage()`). Injected in tests. */
  cpuUsage?: () => { user: number; system: number };
  /**
   * Creates the event-loop monitor (already given the resolution); null to run without one.
   * Default: `perf_hooks.monitorEventLoopDelay`. Injected in tests.
   */
  eventLoopMonitor?: ((resolutionMs: number) => EventLoopDelayMonitor) | null;
}

/**
 * Samples the generator's CPU and event-loop delay. The owner calls `sample(nowMs)` whenever
 * it likes (the recorder does on each tick); a CPU sample is taken once `sampleIntervalMs` has
 * passed since the last one.
 *
 * @example
 * const health = createGeneratorHealth(performance.now());
 * // … on a timer: health.sample(performance.now());
 * const report = health.report(performance.now());
 * health.stop();
 */
export interface GeneratorHealth {
  sample(nowMs: number): void;
  report(nowMs: number): GeneratorHealthReport;
  /** Disables the event-loop monitor. Idempotent. */
  stop(): void;
}

/**
 * Starts sampling at `startMs` (same clock as later `sample` calls).
 *
 * @example
 * const health = createGeneratorHealth(0, { cpuUsage: fakeCpu, eventLoopMonitor: null });
 */
export function createGeneratorHealth(
  startMs: number,
  options: GeneratorHealthOptions = {},
): GeneratorHealth {
  const sampleIntervalMs = options.sampleIntervalMs ?? 1_000; // ms
  const windowSamples = options.cpuWindowSamples ?? 5;
  const resolutionMs = options.eventLoopResolutionMs ?? 10; // ms
  const cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  const makeMonitor =
    options.eventLoopMonitor === undefined
      ? (resolution: number) => monitorEventLoopDelay({ resolution }) as EventLoopDelayMonitor
      : options.eventLoopMonitor;
  if (!(sampleIntervalMs > 0))
    throw new RangeError(`Invalid sampleIntervalMs ${sampleIntervalMs}: need > 0.`);
  if (!(Number.isInteger(windowSamples) && windowSamples >= 1)) {
    throw new RangeError(`Invalid cpuWindowSamples ${windowSamples}: need an integer ≥ 1.`);
  }

  const monitor = makeMonitor ? makeMonitor(resolutionMs) : null;
  monitor?.enable();
  const first = cpuUsage();
  let lastCpu = first;
  let lastMs = startMs;
  let samples = 0;
  // Ring of the last `windowSamples` samples: CPU µs and wall ms of each.
  const ringCpuUs = new Float64Array(windowSamples);
  const ringMs = new Float64Array(windowSamples);
  let ringNext = 0;
  let peakWindowCores = 0;
  let stopped = false;

  function windowCores(extraCpuUs: number, extraMs: number): number {
    let cpu = extraCpuUs;
    let ms = extraMs;
    for (let i = 0; i < windowSamples; i++) {
      cpu += ringCpuUs[i]!;
      ms += ringMs[i]!;
    }
    return ms > 0 ? cpu / 1_000 / ms : 0;
  }

  function delayMs(ns: number): number {
    return Math.max(0, ns / 1e6 - resolutionMs);
  }

  return {
    sample(nowMs) {
      if (stopped || nowMs - lastMs < sampleIntervalMs) return;
      const cpu = cpuUsage();
      ringCpuUs[ringNext] = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
      ringMs[ringNext] = nowMs - lastMs;
      ringNext = (ringNext + 1) % windowSamples;
      samples++;
      lastCpu = cpu;
      lastMs = nowMs;
      if (samples >= windowSamples) peakWindowCores = Math.max(peakWindowCores, windowCores(0, 0));
    },
    report(nowMs) {
      const cpu = stopped ? lastCpu : cpuUsage();
      const userUs = cpu.user - first.user;
      const systemUs = cpu.system - first.system;
      const elapsedMs = nowMs - startMs;
      // A run shorter than one window is judged over all of it.
      const peak =
        samples >= windowSamples
          ? peakWindowCores
          : elapsedMs > 0
            ? (userUs + systemUs) / 1_000 / elapsedMs
            : 0;
      const loop =
        monitor && monitor.count > 0
          ? {
              p50: delayMs(monitor.percentile(50)),
              p99: delayMs(monitor.percentile(99)),
              max: delayMs(monitor.max),
              mean: delayMs(monitor.mean),
            }
          : null;
      return {
        eventLoopDelayMs: loop,
        cpu: {
          meanCores: elapsedMs > 0 ? (userUs + systemUs) / 1_000 / elapsedMs : 0,
          peakWindowCores: peak,
          userMs: userUs / 1_000,
          systemMs: systemUs / 1_000,
        },
        samples,
      };
    },
    stop() {
      if (stopped) return;
      lastCpu = cpuUsage();
      stopped = true;
      monitor?.disable();
    },
  };
}
