import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/engine/run/run-scenario.js';
import type { OpenTarget, Target } from '../../harness/engine/run/target.js';
import { mockTarget } from '../../harness/targets/index.js';

const scenario = {
  name: 'tiny',
  executors: { main: { executor: 'constant-vus', vus: 1, duration: '500ms', gracefulStop: '500ms' } },
  workload: { mix: { getSession: 1 } },
  mock: { limits: false },
};

/** The mock target, telling whether the run closed it. */
function watchedMock(): { target: Target; closed: () => boolean } {
  let closed = false;
  const inner = mockTarget();
  return {
    closed: () => closed,
    target: {
      kind: 'mock',
      async open(context): Promise<OpenTarget> {
        const opened = await inner.open(context);
        return {
          ...opened,
          close: async () => {
            closed = true;
            await opened.close();
          },
        };
      },
    },
  };
}

describe("a caller's callbacks cannot break a run", () => {
  it('a throwing onNotice neither rejects the run nor leaves the mock listening (it did both)', async () => {
    const { target, closed } = watchedMock();
    const result = await runScenario(scenario, {
      target,
      onNotice: () => {
        throw new Error('notice sink failed');
      },
    });
    expect(closed()).toBe(true);
    expect(result.verdict).toBe('passed');
    expect(result.notices).toContainEqual(
      expect.stringContaining("the caller's onNotice threw (Error: notice sink failed)"),
    );
  });

  it('a throwing onProgress is no uncaught exception; the run ends and says so once', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const { target, closed } = watchedMock();
      const result = await runScenario(scenario, {
        target,
        progressIntervalMs: 50,
        onProgress: () => {
          throw new Error('progress sink failed');
        },
      });
      expect(closed()).toBe(true);
      expect(uncaught).toEqual([]);
      const said = (result.notices ?? []).filter((n) => n.includes("the caller's onProgress threw"));
      expect(said).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe("a caller's callbacks that reject, or throw what cannot be printed", () => {
  it('an async onNotice that rejects is no unhandled rejection; a thrown Object.create(null) is said too', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const rejecting = await runScenario(scenario, {
        target: mockTarget(),
        onNotice: async () => {
          throw new Error('async notice boom');
        },
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(rejecting.notices).toContainEqual(expect.stringContaining('threw (Error: async notice boom)'));
      const odd = await runScenario(scenario, {
        target: mockTarget(),
        onNotice: () => {
          throw Object.create(null);
        },
      });
      expect(odd.notices).toContainEqual(expect.stringContaining("the caller's onNotice threw"));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('--threshold adds to the scenario, never replaces it', () => {
  it("a scenario's failing threshold still fails the run when a lenient one on the same metric is added", async () => {
    const result = await runScenario(
      { ...scenario, thresholds: { http_reqs: ['count>1000000000'] } },
      { target: mockTarget(), thresholds: { http_reqs: ['count>=0'] } },
    );
    const judged = result.thresholds
      .filter((t) => t.metric === 'http_reqs')
      .map((t) => [t.expression, t.status]);
    expect(judged).toEqual([
      ['count>1000000000', 'fail'],
      ['count>=0', 'pass'],
    ]);
    expect(result.verdict).toBe('failed');
  });

  it('an added threshold on `__proto__` is refused, naming it, not silently dropped', async () => {
    const extra = JSON.parse('{"__proto__": ["count>0"]}') as Record<string, string[]>;
    await expect(runScenario(scenario, { target: mockTarget(), thresholds: extra })).rejects.toThrow(
      /__proto__: "__proto__" is not allowed as a name/,
    );
  });
});
