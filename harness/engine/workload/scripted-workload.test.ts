import { describe, expect, it } from 'vitest';
import { constantVusSchema, perVuIterationsSchema } from '../../../scenarios/model/executors/index.js';
import type { ScriptedIteration } from '../../../scenarios/model/script.js';
import type { NexusClient } from '../../client/client.js';
import { HarnessError } from '../../util/errors.js';
import { createVirtualClock } from '../clock-virtual.js';
import { runConstantVus } from '../executors/constant-vus.js';
import { runPerVuIterations } from '../executors/per-vu-iterations.js';
import { type CounterData, createRecorder, type RateData, type TrendData } from '../recorder/index.js';
import { createScriptedWorkload } from './scripted-workload.js';

interface Call {
  op: string;
  opId: string | undefined;
  signal: AbortSignal | undefined;
}

/**
 * A client that answers at once and remembers each call's op id and signal; sends to 'bad'
 * fail. As the real one, it rejects at once (a microtask) when the call's signal has aborted.
 */
function fakeClient(calls: Call[]): NexusClient {
  const note = (op: string, o?: { opId?: string; signal?: AbortSignal }) => {
    calls.push({ op, opId: o?.opId, signal: o?.signal });
    o?.signal?.throwIfAborted();
  };
  return {
    async createSession(_m, o) {
      note('createSession', o);
      return { id: 's1', createdAt: '' };
    },
    async getSession(id, o) {
      note('getSession', o);
      return {
        id,
        topic: null,
        status: 'ACTIVE',
        createdAt: '',
        lastMessageAt: null,
        messageCount: 0,
        metadata: {},
      };
    },
    async sendMessage(id, _c, o) {
      note('sendMessage', o);
      if (id === 'bad') throw new HarnessError('NH_CLIENT_API_ERROR', `thread ${id} refused the message`);
      return { success: true };
    },
    async listMessages(_id, _q, o) {
      note('listMessages', o);
      return [];
    },
    async waitForReply(_id, o) {
      note('waitForReply', o);
      return { id: 'm2', type: 'assistant', content: '4', createdAt: '' };
    },
    rateLimitState: () => ({ atMs: 0, limit: null, remaining: null, resetAtMs: null, pausedUntilMs: 0 }),
    transportStats: () => ({}) as ReturnType<NexusClient['transportStats']>,
    ready: async () => {},
    close: async () => {},
  };
}

async function run(iteration: ScriptedIteration, iterations = 2, metrics = {}) {
  const clock = createVirtualClock();
  const recorder = createRecorder({ clock, tickMs: false, health: false, metrics });
  const calls: Call[] = [];
  const script = createScriptedWorkload({
    iteration,
    metrics,
    client: fakeClient(calls),
    sink: recorder,
    clock,
    seed: 7,
    runTag: 'r1',
  });
  const summary = await runPerVuIterations(
    perVuIterationsSchema.parse({ executor: 'per-vu-iterations', vus: 1, iterations, maxDuration: '1m' }),
    { name: 'main', sink: recorder, clock, iterationFn: script.iteration },
  );
  const cell = (name: string, tags: Record<string, string> = {}) =>
    recorder
      .metrics()
      .find((d) => d.name === name && Object.entries(tags).every(([k, v]) => d.tags[k] === v));
  return { script, summary, calls, cell, recorder };
}

describe('scripted workload', () => {
  it('times each iteration from its intended start as op_duration{op:script}, sleep on the engine clock included', async () => {
    const { cell, summary } = await run(
      async ({ sleep, metric }) => {
        await sleep(250);
        metric.counter('steps').add(1);
      },
      3,
      { steps: 'counter' },
    );
    expect(summary).toMatchObject({ iterations: 3, failed: 0 });
    const duration = cell('op_duration', { op: 'script' }) as TrendData;
    expect(duration.tags).toEqual({ executor: 'main', op: 'script' });
    expect(duration.count).toBe(3);
    expect(duration.minUs).toBe(250_000);
    expect(duration.maxUs).toBe(250_000);
    expect((cell('ops', { op: 'script' }) as CounterData).count).toBe(3);
    expect(cell('op_failed', { op: 'script' })).toMatchObject({ passes: 0, fails: 3 });
    expect((cell('steps') as CounterData).count).toBe(3);
  });

  it('counts a throwing iteration as failed, by a bounded reason in script_errors, and in a notice', async () => {
    const { cell, summary, script } = await run(async ({ vuIteration }) => {
      if (vuIteration === 1) throw new TypeError(`cannot read 'id' of undefined (iteration ${vuIteration})`);
    }, 3);
    expect(summary).toMatchObject({ iterations: 3, failed: 1 });
    expect(cell('op_failed', { op: 'script' })).toMatchObject({ passes: 1, fails: 2 });
    const errors = cell('script_errors') as CounterData;
    expect(errors.tags).toEqual({
      executor: 'main',
      error: "TypeError: cannot read 'id' of undefined (iteration 1)",
    });
    expect(errors.count).toBe(1);
    expect(script.notices()).toEqual([
      "scripted iteration failed 1 time(s): TypeError: cannot read 'id' of undefined (iteration 1) ×1",
    ]);
  });

  it('counts an iteration that throws a value String() cannot take, by a reason of its type', async () => {
    const values: unknown[] = [
      undefined,
      null,
      42,
      Symbol('s'),
      Object.create(null),
      {
        toString() {
          throw new Error('boom');
        },
      },
    ];
    const { cell, summary, script, recorder } = await run(async ({ vuIteration }) => {
      throw values[vuIteration];
    }, values.length);
    expect(summary).toMatchObject({ iterations: 6, failed: 6 });
    // op_failed: a pass is a failed operation.
    expect(cell('op_failed', { op: 'script' })).toMatchObject({ passes: 6, fails: 0 });
    const errors = recorder.metrics().filter((d) => d.name === 'script_errors') as CounterData[];
    expect(errors.reduce((sum, d) => sum + d.count, 0)).toBe(6);
    expect(errors.map((d) => d.tags.error)).toEqual([
      'thrown value: undefined',
      'thrown value: null',
      'thrown value: 42',
      'thrown value: Symbol(s)',
      'thrown value: [unprintable object]',
      'thrown value: [unprintable Object]',
    ]);
    expect(script.notices()[0]).toMatch(/^scripted iteration failed 6 time\(s\): /);
  });

  it("gives every client call an op id and the iteration's signal, and tracks sends for the audit", async () => {
    const own = new AbortController();
    const { calls, script } = await run(async ({ client }) => {
      const { id } = await client.createSession();
      await client.sendMessage(id, 'hi');
      await client.waitForReply(id);
      await client.sendMessage(id, 'again', { opId: 'mine', signal: own.signal });
      await client.sendMessage('bad', 'x').catch(() => {});
    }, 1);
    expect(calls.map((c) => [c.op, c.opId])).toEqual([
      ['createSession', 'r1.main.0.s1'],
      ['sendMessage', 'r1.main.0.s2'],
      ['waitForReply', 'r1.main.0.s3'],
      ['sendMessage', 'r1.main.0.mine'],
      ['sendMessage', 'r1.main.0.s5'],
    ]);
    expect(calls.every((c) => c.signal instanceof AbortSignal)).toBe(true);
    // The author's signal is linked with the iteration's: either aborts the call.
    own.abort();
    expect(calls[3]?.signal?.aborted).toBe(true);
    expect(calls[0]?.signal?.aborted).toBe(false);
    expect(script.effectfulCalls().map((c) => [c.effect, c.opId, c.ok])).toEqual([
      ['thread_created', 'r1.main.0.s1', true],
      ['message_stored', 'r1.main.0.s2', true],
      ['message_stored', 'r1.main.0.mine', true],
      ['message_stored', 'r1.main.0.s5', false],
    ]);
  });

  it('seeds random() by the iteration: the same run draws the same numbers', async () => {
    const draws: number[][] = [[], []];
    for (const out of draws) {
      await run(async ({ random }) => {
        out.push(random(), random());
      }, 2);
    }
    expect(draws[0]).toEqual(draws[1]);
    expect(new Set(draws[0]).size).toBe(4);
  });

  it('records nothing for an iteration cut off by the end of the run', async () => {
    const clock = createVirtualClock();
    const recorder = createRecorder({ clock, tickMs: false, health: false, metrics: { t: 'trend' } });
    const script = createScriptedWorkload({
      iteration: async ({ sleep, check, metric }) => {
        check(1, { early: () => true });
        await sleep(10_000);
        check(1, { late: () => false });
        metric.trend('t').add(1);
        throw new Error('after the cut');
      },
      metrics: { t: 'trend' },
      client: fakeClient([]),
      sink: recorder,
      clock,
      seed: 1,
      runTag: 'r1',
    });
    const summary = await runPerVuIterations(
      perVuIterationsSchema.parse({
        executor: 'per-vu-iterations',
        vus: 1,
        iterations: 1,
        maxDuration: '1s',
        gracefulStop: '0s',
      }),
      { name: 'main', sink: recorder, clock, iterationFn: script.iteration },
    );
    expect(summary.interrupted).toBe(1);
    const names = recorder.metrics().filter((d) => d.kind !== 'trend' || d.count > 0);
    const checks = names.filter((d) => d.name === 'checks') as RateData[];
    expect(checks.map((d) => d.tags.check)).toEqual(['early']);
    expect(names.some((d) => d.name === 't' || d.name === 'script_errors')).toBe(false);
    expect(script.notices()).toEqual([]);
  });

  describe('an iteration that catches errors in a loop', () => {
    /** A real timer: it fires only if the event loop turns (a microtask spin starves it). */
    const aTimerFired = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

    /** createSession takes 10 ms on the clock (a fake one answering at once would itself spin). */
    function slowClient(clock: ReturnType<typeof createVirtualClock>): NexusClient {
      const client = fakeClient([]);
      return {
        ...client,
        async createSession(message, o) {
          o?.signal?.throwIfAborted();
          await clock.sleepUntil(clock.now() + 10, o?.signal);
          o?.signal?.throwIfAborted();
          return client.createSession(message, o);
        },
      };
    }

    async function spin(body: (ctx: Parameters<ScriptedIteration>[0]) => Promise<void>) {
      const clock = createVirtualClock();
      const recorder = createRecorder({ clock, tickMs: false, health: false });
      const state = { turnsAfterAbort: 0, guardTripped: false, left: undefined as unknown, stop: false };
      const script = createScriptedWorkload({
        iteration: async (ctx) => {
          try {
            while (!state.stop) {
              // Hang guard: a loop spinning on microtasks never lets the test's timer run.
              if (ctx.signal.aborted && ++state.turnsAfterAbort > 100_000) {
                state.guardTripped = true;
                return;
              }
              await body(ctx);
            }
          } catch (err) {
            state.left = err;
            throw err;
          }
        },
        metrics: {},
        client: slowClient(clock),
        sink: recorder,
        clock,
        seed: 1,
        runTag: 'r1',
      });
      const summary = await runConstantVus(
        constantVusSchema.parse({ executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '500ms' }),
        { name: 'main', sink: recorder, clock, iterationFn: script.iteration },
      );
      await aTimerFired();
      const snapshot = { ...state };
      state.stop = true;
      return { summary, state: snapshot, recorder };
    }

    it('leaves at the sleep the cut interrupts: the run ends at duration + gracefulStop, interrupted', async () => {
      const { summary, state } = await spin(async ({ client, sleep }) => {
        try {
          await client.createSession();
        } catch {}
        await sleep(100);
      });
      expect(state.guardTripped).toBe(false);
      expect(summary).toMatchObject({ iterations: 0, interrupted: 1, failed: 0 });
      expect(summary.endedAtMs - (summary.startedAtMs ?? Number.NaN)).toBe(1_500);
      // The cut (at 1 500 ms) fell in a sleep, which rejected: no turn of the loop after it.
      expect(state.turnsAfterAbort).toBe(0);
      expect(state.left).toMatchObject({ name: 'AbortError' });
    });

    it('cannot starve timers without sleep either: calls after the abort reject on a later turn of the event loop', async () => {
      const { summary, state } = await spin(async ({ client }) => {
        try {
          await client.createSession();
        } catch {}
      });
      expect(state.guardTripped).toBe(false);
      expect(summary).toMatchObject({ iterations: 0, interrupted: 1 });
      expect(summary.endedAtMs - (summary.startedAtMs ?? Number.NaN)).toBe(1_500);
    });

    it('rejects sleep(0) and a sleep begun before the abort, so no sleep resolves after the cut', async () => {
      const outcomes: string[] = [];
      const { summary } = await spin(async ({ sleep, signal }) => {
        if (signal.aborted) {
          await sleep(0).then(
            () => outcomes.push('sleep(0) resolved'),
            (e: Error) => outcomes.push(`sleep(0) ${e.name}`),
          );
          throw new Error('done');
        }
        await sleep(60_000).then(
          () => outcomes.push('sleep resolved'),
          (e: Error) => outcomes.push(`sleep ${e.name}`),
        );
      });
      expect(summary.interrupted).toBe(1);
      expect(outcomes).toEqual(['sleep AbortError', 'sleep(0) AbortError']);
    });
  });
});
