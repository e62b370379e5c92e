/**
 * The load generator's own health over a run: how late its event loop ran and how much CPU
 * the process used. A generator that is itself saturated delays the operations it times, so
 * its latencies describe the generator, not the target; {@link generatorWarnings} says so.
 *
 * The figures that are judged cover the *load window* only: from the last sample before the
 * executors' first sample (an iteration started, ended or was dropped) to the first sample
 * after their last one. Start-up (the recorder opened before the target's client, the ledger's
 * first read), the client's close and the audit fall outside it, so their cost is not charged
 * to the load. The whole run's figures are kept beside them (`wholeRun`).
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
  reset(): void;
  percentile(percentile: number): number;
  readonly max: number;
  readonly mean: number;
  readonly count: number;
}

/**
 * Event-loop delay beyond the monitor's resolution, ms (0 = timers fired on time).
 *
 * @example
 * const delay: EventLoopDelayFigures = { p50: 0.1, p99: 0.9, max: 2.1, mean: 0.2 };
 */
export interface EventLoopDelayFigures {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The generator's health as written to the result. `eventLoopDelayMs`, `cpu` and `samples`
 * cover the load window (what {@link generatorWarnings} judges); `wholeRun` covers everything
 * from the recorder's start to now (or its stop).
 *
 * @example
 * const { eventLoopDelayMs, cpu, loadWindow, wholeRun } = health.report(performance.now());
 */
export interface GeneratorHealthReport {
  /** Over the load window; null when the monitor was off or took no samples. */
  eventLoopDelayMs: EventLoopDelayFigures | null;
  /** Process CPU (user + system) over the load window. */
  cpu: {
    /** Mean over the load window, in cores (1 = one core busy all the time). */
    meanCores: number;
    /**
     * Highest CPU over any `cpuWindowSamples` consecutive samples of the load window, cores;
     * the load window's mean when it is shorter than that.
     */
    peakWindowCores: number;
    userMs: number;
    systemMs: number;
  };
  /** CPU samples taken in the load window (one per `sampleIntervalMs`). */
  samples: number;
  /**
   * The load window, ms since the recorder started; null when no executor sample came (the
   * figures above then cover the whole run). Its edges are sample times (the recorder samples
   * every 100 ms), so it spans the executors' work plus at most one interval at each end.
   * Optional only for results written before it existed.
   */
  loadWindow?: { fromMs: number; toMs: number } | null;
  /**
   * The whole run, start-up and end included. Optional only for results written before it
   * existed.
   */
  wholeRun?: {
    /** Ms from the recorder's start to now (or its stop). */
    elapsedMs: number;
    eventLoopDelayMs: EventLoopDelayFigures | null;
    cpu: { meanCores: number; userMs: number; systemMs: number };
  };
}

/**
 * How the generator's health is sampled; every field has a default.
 *
 * @example
 * createGeneratorHealth(0, { sampleIntervalMs: 500, cpuUsage: () => ({ user: 0, system: 0 }) });
 */
export interface GeneratorHealthOptions {
  /** Interval between CPU samples of the load window, ms. Default 1 000. */
  sampleIntervalMs?: number;
  /** Samples averaged for `peakWindowCores`. Default 5 (5 s at the default interval). */
  cpuWindowSamples?: number;
  /** Event-loop monitor resolution, ms. Default 10 (Node's default). */
  eventLoopResolutionMs?: number;
  /** CPU source, µs (as `process.cpuUsage()`). Injected in tests. */
  cpuUsage?: () => { user: number; system: number };
  /**
   * Creates an event-loop monitor (already given the resolution); null to run without one.
   * Called twice: one monitor for the whole run, one for the load window. Default:
   * `perf_hooks.monitorEventLoopDelay`. Injected in tests.
   */
  eventLoopMonitor?: ((resolutionMs: number) => EventLoopDelayMonitor) | null;
}

/**
 * Samples the generator's CPU and event-loop delay. The owner calls `sample(nowMs, load, busy)`
 * whenever it likes (the recorder does on each tick), with `load` the number of executor
 * samples so far (iterations started, ended or dropped) and `busy` whether any VU is in an
 * iteration: the load window opens at the last call before the load began and closes at the
 * last call at which it went on (`load` grew, or a VU was busy). A lull inside the window
 * (executors with `startTime` gaps) stays in its mean but not in the busiest-window figure.
 *
 * @example
 * const health = createGeneratorHealth(performance.now());
 * // … on a timer: health.sample(performance.now(), iterationsStartedEndedOrDropped);
 * const report = health.report(performance.now());
 * health.stop();
 */
export interface GeneratorHealth {
  sample(nowMs: number, load: number, busy?: boolean): void;
  report(nowMs: number): GeneratorHealthReport;
  /** Disables the event-loop monitors. Idempotent. */
  stop(): void;
}

interface CpuPoint {
  ms: number;
  userUs: number;
  systemUs: number;
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

  const runMonitor = makeMonitor ? makeMonitor(resolutionMs) : null;
  const loadMonitor = makeMonitor ? makeMonitor(resolutionMs) : null;
  runMonitor?.enable();
  loadMonitor?.enable();
  const point = (ms: number): CpuPoint => {
    const cpu = cpuUsage();
    return { ms, userUs: cpu.user, systemUs: cpu.system };
  };
  const first = point(startMs);
  let stoppedCpu: { user: number; system: number } | null = null; // frozen at stop()
  let lastLoad = 0;
  // The load window: `from` moves with every sample until the load first grows; `to` is the
  // last sample at which it grew (null: the window never opened).
  let from = first;
  let to: CpuPoint | null = null;
  let loadLoop: EventLoopDelayFigures | null = null;
  // Ring of the last `windowSamples` CPU samples of the load window: CPU µs and wall ms of each.
  const ringCpuUs = new Float64Array(windowSamples);
  const ringMs = new Float64Array(windowSamples);
  let ringNext = 0;
  let ringBase = first; // where the sample being gathered began
  let samples = 0;
  let peakWindowCores = 0;
  let stopped = false;

  function windowCores(): number {
    let cpu = 0;
    let ms = 0;
    for (let i = 0; i < windowSamples; i++) {
      cpu += ringCpuUs[i]!;
      ms += ringMs[i]!;
    }
    return ms > 0 ? cpu / 1_000 / ms : 0;
  }

  function delayMs(ns: number): number {
    return Math.max(0, ns / 1e6 - resolutionMs);
  }

  function loopFigures(monitor: EventLoopDelayMonitor | null): EventLoopDelayFigures | null {
    return monitor && monitor.count > 0
      ? {
          p50: delayMs(monitor.percentile(50)),
          p99: delayMs(monitor.percentile(99)),
          max: delayMs(monitor.max),
          mean: delayMs(monitor.mean),
        }
      : null;
  }

  function cpuBetween(a: CpuPoint, b: CpuPoint) {
    const userUs = b.userUs - a.userUs;
    const systemUs = b.systemUs - a.systemUs;
    const ms = b.ms - a.ms;
    return {
      meanCores: ms > 0 ? (userUs + systemUs) / 1_000 / ms : 0,
      userMs: userUs / 1_000,
      systemMs: systemUs / 1_000,
    };
  }

  return {
    sample(nowMs, load, busy = false) {
      if (stopped) return;
      const grew = load > lastLoad || busy;
      lastLoad = load;
      if (to === null && !grew) {
        // Before the load: the window starts here unless the next sample finds it begun.
        from = point(nowMs);
        ringBase = from;
        loadMonitor?.reset();
        return;
      }
      if (!grew) {
        // After (or in a lull of) the load: the next busy span starts its own CPU window, so a
        // long idle gap between executors cannot dilute the busiest-window figure.
        ringBase = point(nowMs);
        return;
      }
      to = point(nowMs);
      loadLoop = loopFigures(loadMonitor);
      if (to.ms - ringBase.ms < sampleIntervalMs) return;
      ringCpuUs[ringNext] = to.userUs - ringBase.userUs + (to.systemUs - ringBase.systemUs);
      ringMs[ringNext] = to.ms - ringBase.ms;
      ringNext = (ringNext + 1) % windowSamples;
      samples++;
      ringBase = to;
      if (samples >= windowSamples) peakWindowCores = Math.max(peakWindowCores, windowCores());
    },
    report(nowMs) {
      const cpu = stoppedCpu ?? cpuUsage();
      const now: CpuPoint = { ms: nowMs, userUs: cpu.user, systemUs: cpu.system };
      const run = cpuBetween(first, now);
      const wholeRun = { elapsedMs: now.ms - startMs, eventLoopDelayMs: loopFigures(runMonitor), cpu: run };
      if (to === null) {
        // No executor sample: judge the whole run.
        return {
          eventLoopDelayMs: wholeRun.eventLoopDelayMs,
          cpu: {
            meanCores: run.meanCores,
            peakWindowCores: run.meanCores,
            userMs: run.userMs,
            systemMs: run.systemMs,
          },
          samples: 0,
          loadWindow: null,
          wholeRun,
        };
      }
      const load = cpuBetween(from, to);
      return {
        eventLoopDelayMs: loadLoop,
        // A load window shorter than one CPU window is judged over all of it.
        cpu: {
          meanCores: load.meanCores,
          peakWindowCores: samples >= windowSamples ? peakWindowCores : load.meanCores,
          userMs: load.userMs,
          systemMs: load.systemMs,
        },
        samples,
        loadWindow: { fromMs: from.ms - startMs, toMs: to.ms - startMs },
        wholeRun,
      };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      runMonitor?.disable();
      loadMonitor?.disable();
      stoppedCpu = cpuUsage();
    },
  };
}
