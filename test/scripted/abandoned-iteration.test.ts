import { describe, expect, it } from 'vitest';
import type { CompletionReport } from '../../harness/engine/run/completion.js';
import { defineScenario } from '../../scenarios/model/index.js';
import { runOn } from '../support/run.js';

/** Wall time an aborted loop may run before it gives up by itself: only a hang guard. */
const HANG_GUARD_MS = 20_000;

describe('a scripted iteration that catches errors in a loop, against the mock', () => {
  it('cannot hold the run: it ends after duration + gracefulStop with the looping iterations counted interrupted', async () => {
    const state = { guardTripped: false, stop: false, sleeperLeft: undefined as unknown };
    const scenario = defineScenario({
      name: 'spin',
      // `sleeper` is the reported loop (catch, sleep, again); `busy` never sleeps at all.
      executors: {
        sleeper: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '500ms' },
        busy: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '500ms' },
      },
      mock: { limits: false },
      iteration: async ({ client, sleep, signal, executor }) => {
        let abortedAt: number | undefined;
        try {
          while (!state.stop) {
            if (signal.aborted) {
              abortedAt ??= performance.now();
              // A loop spinning on microtasks starves every timer: it must end itself.
              if (performance.now() - abortedAt > HANG_GUARD_MS) {
                state.guardTripped = true;
                return;
              }
            }
            try {
              await client.createSession();
            } catch {}
            if (executor === 'sleeper') await sleep(100);
          }
        } catch (err) {
          if (executor === 'sleeper') state.sleeperLeft = err;
          throw err;
        }
      },
    });
    try {
      const { result } = await runOn(scenario);
      expect(state.guardTripped).toBe(false);
      const completion = result.completion as CompletionReport;
      // Time-based executors: what they did is counted apart from any demanded count.
      expect(completion.untracked.interrupted).toBe(2);
      expect(state.sleeperLeft).toMatchObject({ name: 'AbortError' });
    } finally {
      state.stop = true; // the abandoned `busy` loop, still turning on immediates
    }
  });
});
