import { describe, expect, it } from 'vitest';
import { createGeneratorHealth, type EventLoopDelayMonitor } from './generator-health.js';
import { generatorWarnings } from './generator-warnings.js';

/** CPU that grows by `coresPerMs` × elapsed: a fake `process.cpuUsage` driven by virtual time. */
function fakeCpu() {
  let userUs = 0;
  return {
    burn(ms: number, cores: number) {
      userUs += ms * 1_000 * cores;
    },
    cpuUsage: () => ({ user: userUs, system: 0 }),
  };
}

/**
 * A fake event loop: `delay(ms)` is one timer that fired `ms` late, seen by every monitor
 * enabled at the time (as Node's monitors each sample the same loop).
 */
function fakeLoop(resolutionMs: number) {
  const monitors: FakeLoopMonitor[] = [];
  return {
    create(): EventLoopDelayMonitor {
      const monitor = new FakeLoopMonitor();
      monitors.push(monitor);
      return monitor;
    },
    delay(ms: number, times = 1) {
      for (const m of monitors)
        if (m.enabled) for (let i = 0; i < times; i++) m.delaysNs.push((ms + resolutionMs) * 1e6);
    },
  };
}

class FakeLoopMonitor implements EventLoopDelayMonitor {
  enabled = false;
  readonly delaysNs: number[] = [];
  enable() {
    this.enabled = true;
    return true;
  }
  disable() {
    this.enabled = false;
    return true;
  }
  reset() {
    this.delaysNs.length = 0;
  }
  percentile(p: number) {
    const sorted = [...this.delaysNs].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
  get max() {
    return Math.max(...this.delaysNs);
  }
  get mean() {
    return this.delaysNs.reduce((a, b) => a + b, 0) / this.delaysNs.length;
  }
  get count() {
    return this.delaysNs.length;
  }
}

function fakeMonitor(delayNs: (p: number) => number): EventLoopDelayMonitor & { enabled: boolean } {
  return {
    enabled: false,
    enable() {
      this.enabled = true;
      return true;
    },
    disable() {
      this.enabled = false;
      return true;
    },
    reset() {},
    percentile: delayNs,
    max: delayNs(100),
    mean: delayNs(50),
    count: 100,
  };
}

describe('createGeneratorHealth', () => {
  it('reports mean CPU over the run and the busiest window of consecutive samples', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, {
      cpuUsage: cpu.cpuUsage,
      eventLoopMonitor: null,
      cpuWindowSamples: 2,
    });
    const loads = [0.2, 0.2, 0.95, 0.97, 0.2, 0.2];
    loads.forEach((cores, i) => {
      cpu.burn(1_000, cores);
      health.sample((i + 1) * 1_000, (i + 1) * 10); // executor samples grew over every interval
    });
    const report = health.report(6_000);
    expect(report.samples).toBe(6);
    expect(report.cpu.meanCores).toBeCloseTo(2.72 / 6, 6);
    expect(report.cpu.peakWindowCores).toBeCloseTo(0.96, 6);
    expect(report.eventLoopDelayMs).toBeNull();
    expect(report.loadWindow).toEqual({ fromMs: 0, toMs: 6_000 });
  });

  it('takes a CPU sample only once the interval has passed', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    for (let ms = 100; ms <= 2_500; ms += 100) health.sample(ms, ms);
    expect(health.report(2_500).samples).toBe(2);
  });

  it('judges a run shorter than one window over all of it', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    cpu.burn(500, 1);
    expect(health.report(500).cpu.peakWindowCores).toBeCloseTo(1, 6);
  });

  it('judges the whole run when no executor sample came (no load window)', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    for (let ms = 100; ms <= 1_000; ms += 100) {
      cpu.burn(100, 0.5);
      health.sample(ms, 0);
    }
    const report = health.report(1_000);
    expect(report.loadWindow).toBeNull();
    expect(report.cpu.meanCores).toBeCloseTo(0.5, 6);
    expect(report.wholeRun?.cpu.meanCores).toBeCloseTo(0.5, 6);
  });

  it('reports event-loop delay beyond the resolution, in ms, and disables the monitor on stop', () => {
    const monitor = fakeMonitor((p) => (p >= 99 ? 45e6 : 10.5e6)); // resolution 10 ms included
    const health = createGeneratorHealth(0, {
      cpuUsage: fakeCpu().cpuUsage,
      eventLoopMonitor: () => monitor,
      eventLoopResolutionMs: 10,
    });
    expect(monitor.enabled).toBe(true);
    const loop = health.report(1_000).eventLoopDelayMs!;
    expect(loop.p50).toBeCloseTo(0.5, 6);
    expect(loop.p99).toBeCloseTo(35, 6);
    health.stop();
    expect(monitor.enabled).toBe(false);
  });
});

describe('the load window', () => {
  /**
   * A run as the recorder sees it, sampled every 100 ms: `startupMs` of start-up at
   * `startupCores` (nothing from the executors yet), `loadMs` of load at `loadCores` (executor
   * samples growing every tick), then `endMs` of client close and audit at `endCores` (executor
   * samples frozen). Event-loop delay: `startupDelayMs` late timers during start-up and the
   * end, `loadDelayMs` during the load (ten timers per tick).
   */
  function run(phases: {
    startupMs: number;
    startupCores: number;
    loadMs: number;
    loadCores: number;
    endMs: number;
    endCores: number;
    startupDelayMs: number;
    loadDelayMs: number;
  }) {
    const cpu = fakeCpu();
    const loop = fakeLoop(10);
    const health = createGeneratorHealth(0, {
      cpuUsage: cpu.cpuUsage,
      eventLoopMonitor: loop.create,
      eventLoopResolutionMs: 10,
    });
    let now = 0;
    let load = 0;
    const phase = (ms: number, cores: number, delayMs: number, grows: boolean) => {
      for (let t = 0; t < ms; t += 100) {
        cpu.burn(100, cores);
        loop.delay(delayMs, 10);
        now += 100;
        if (grows) load += 7;
        health.sample(now, load);
      }
    };
    phase(phases.startupMs, phases.startupCores, phases.startupDelayMs, false);
    phase(phases.loadMs, phases.loadCores, phases.loadDelayMs, true);
    phase(phases.endMs, phases.endCores, phases.startupDelayMs, false);
    health.stop();
    return health.report(now);
  }

  it('leaves a start-up burst and a busy end outside: a modest load does not warn', () => {
    const report = run({
      startupMs: 500, // module loading, the mock starting, the target opening
      startupCores: 2,
      loadMs: 2_000,
      loadCores: 0.3,
      endMs: 1_000, // client close and the audit
      endCores: 1.8,
      startupDelayMs: 80,
      loadDelayMs: 1,
    });
    expect(generatorWarnings(report)).toEqual([]);
    // The window opens at the last tick before the first executor sample (the 500 ms tick) and
    // closes at the last tick where they grew.
    expect(report.loadWindow).toEqual({ fromMs: 500, toMs: 2_500 });
    expect(report.cpu.meanCores).toBeCloseTo(0.3, 6);
    expect(report.cpu.peakWindowCores).toBeCloseTo(0.3, 6);
    expect(report.samples).toBe(2);
    expect(report.eventLoopDelayMs?.p99).toBeCloseTo(1, 6);
    // The whole run is still reported, start-up and end included.
    expect(report.wholeRun?.elapsedMs).toBe(3_500);
    expect(report.wholeRun?.cpu.meanCores).toBeCloseTo((1_000 + 600 + 1_800) / 3_500, 6);
    expect(report.wholeRun?.eventLoopDelayMs?.p99).toBeCloseTo(80, 6);
  });

  it('still warns when the generator is saturated inside the window', () => {
    const report = run({
      startupMs: 300,
      startupCores: 0.2,
      loadMs: 6_000,
      loadCores: 0.97, // a busy-spinning iteration, or a rate the process cannot carry
      endMs: 300,
      endCores: 0.1,
      startupDelayMs: 0,
      loadDelayMs: 35,
    });
    expect(report.loadWindow).toEqual({ fromMs: 300, toMs: 6_300 });
    expect(report.cpu.peakWindowCores).toBeCloseTo(0.97, 6);
    const warnings = generatorWarnings(report);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/event-loop delay p99 during the load was 35\.0 ms/);
    expect(warnings[1]).toMatch(/process CPU reached 0\.97 cores over the load's busiest window/);
  });

  it('a long idle gap between two executors does not dilute the busiest window (it read 0.06 cores)', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    let now = 0;
    let load = 0;
    const tickFor = (ms: number, cores: number, grows: boolean) => {
      for (let t = 0; t < ms; t += 100) {
        cpu.burn(100, cores);
        now += 100;
        if (grows) load++;
        health.sample(now, load);
      }
    };
    tickFor(3_000, 1, true); // executor A, a full core
    tickFor(60_000, 0, false); // nothing runs until B's startTime
    tickFor(3_000, 1, true); // executor B, a full core
    health.stop();
    const report = health.report(now);
    expect(report.cpu.peakWindowCores).toBeCloseTo(1, 6);
    expect(generatorWarnings(report).join('\n')).toMatch(/process CPU reached 1\.00 cores/);
  });

  it('takes CPU samples of the window only: a busy end does not make a busiest window', () => {
    const report = run({
      startupMs: 100,
      startupCores: 0.1,
      loadMs: 5_000,
      loadCores: 0.5,
      endMs: 3_000, // a long audit at a full core, long enough for samples of its own
      endCores: 1,
      startupDelayMs: 0,
      loadDelayMs: 0,
    });
    expect(generatorWarnings(report)).toEqual([]);
    expect(report.samples).toBe(5);
    expect(report.cpu.peakWindowCores).toBeCloseTo(0.5, 6);
  });
});

describe('generatorWarnings', () => {
  const healthy = {
    eventLoopDelayMs: { p50: 0.2, p99: 4, max: 12, mean: 0.5 },
    cpu: { meanCores: 0.4, peakWindowCores: 0.6, userMs: 1, systemMs: 1 },
    samples: 10,
  };

  it('is silent for a healthy generator', () => {
    expect(generatorWarnings(healthy)).toEqual([]);
  });

  it('warns when the event-loop delay p99 is above the limit', () => {
    const warnings = generatorWarnings({
      ...healthy,
      eventLoopDelayMs: { ...healthy.eventLoopDelayMs, p99: 21 },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/event-loop delay p99 during the load was 21\.0 ms \(limit 20 ms/);
  });

  it('warns when the busiest CPU window reaches the limit, which is configurable', () => {
    const busy = { ...healthy, cpu: { ...healthy.cpu, peakWindowCores: 0.9 } };
    expect(generatorWarnings(busy)[0]).toMatch(/process CPU reached 0\.90 cores/);
    expect(generatorWarnings(busy, { maxCpuCores: 0.95 })).toEqual([]);
  });
});
