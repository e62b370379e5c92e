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
      health.sample((i + 1) * 1_000);
    });
    const report = health.report(6_000);
    expect(report.samples).toBe(6);
    expect(report.cpu.meanCores).toBeCloseTo(2.72 / 6, 6);
    expect(report.cpu.peakWindowCores).toBeCloseTo(0.96, 6);
    expect(report.eventLoopDelayMs).toBeNull();
  });

  it('takes a CPU sample only once the interval has passed', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    for (let ms = 100; ms <= 2_500; ms += 100) health.sample(ms);
    expect(health.report(2_500).samples).toBe(2);
  });

  it('judges a run shorter than one window over all of it', () => {
    const cpu = fakeCpu();
    const health = createGeneratorHealth(0, { cpuUsage: cpu.cpuUsage, eventLoopMonitor: null });
    cpu.burn(500, 1);
    expect(health.report(500).cpu.peakWindowCores).toBeCloseTo(1, 6);
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
    expect(warnings[0]).toMatch(/event-loop delay p99 was 21\.0 ms \(limit 20 ms/);
  });

  it('warns when the busiest CPU window reaches the limit, which is configurable', () => {
    const busy = { ...healthy, cpu: { ...healthy.cpu, peakWindowCores: 0.9 } };
    expect(generatorWarnings(busy)[0]).toMatch(/process CPU reached 0\.90 cores/);
    expect(generatorWarnings(busy, { maxCpuCores: 0.95 })).toEqual([]);
  });
});
