import { describe, expect, it } from 'vitest';
import smoke from '../../scenarios/builtin/smoke.js';
import { defineScenario } from '../../scenarios/model/index.js';
import { runOn } from '../support/run.js';

/**
 * The generator-bottleneck warning judges the load window (the executors' first sample to
 * their last), not the run's start-up, the client's close or the audit. A short run at a modest
 * rate against the in-process mock must not be called a generator bottleneck; a generator that
 * really is saturated during the load still must.
 */
describe('the generator-bottleneck warning, against the in-process mock', () => {
  it('stays silent for a short run at a modest rate (smoke for 2 s: about 100 iterations)', async () => {
    const { result } = await runOn(smoke, { durationMs: 2_000 });
    const generator = result.generator;
    expect(generator.warnings).toEqual([]);
    expect((result.notices ?? []).join('\n')).not.toMatch(/Generator bottleneck/);
    // The judged figures are the load window's; the whole run's are kept beside them.
    const window = generator.loadWindow!;
    expect(window.toMs).toBeGreaterThan(window.fromMs);
    expect(generator.wholeRun!.elapsedMs).toBeGreaterThanOrEqual(window.toMs);
  });

  it('still warns when the iteration itself keeps the process busy (a busy-spinning iteration)', async () => {
    const scenario = defineScenario({
      name: 'busy-spin',
      executors: { main: { executor: 'shared-iterations', vus: 1, iterations: 15, maxDuration: '10s' } },
      mock: { limits: false },
      iteration: async () => {
        const until = performance.now() + 60; // ms of CPU, the event loop blocked throughout
        while (performance.now() < until) {}
      },
    });
    const { result } = await runOn(scenario);
    expect(result.generator.warnings.join('\n')).toMatch(/Generator bottleneck/);
  });
});
