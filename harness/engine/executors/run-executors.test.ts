import { describe, expect, it } from 'vitest';
import { executorTiming, resolveExecutorConfig } from '../../../scenarios/model/executors/index.js';
import { createVirtualClock } from '../clock-virtual.js';
import { runExecutors } from './run-executors.js';
import { createTestSink } from './test-sink.js';

describe('runExecutors', () => {
  it('starts each executor at its startTime and summarises each', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const firstStart = new Map<string, number>();
    const summaries = await runExecutors(
      {
        warm: resolveExecutorConfig({ executor: 'constant-vus', vus: 1, duration: '1s' }),
        load: resolveExecutorConfig({
          executor: 'constant-arrival-rate',
          rate: 10,
          duration: '2s',
          preAllocatedVUs: 2,
          startTime: '1s',
        }),
      },
      async (ctx) => {
        if (!firstStart.has(ctx.executor)) firstStart.set(ctx.executor, clock.now());
        await clock.sleepUntil(clock.now() + 100);
      },
      sink,
      clock,
    );
    expect(firstStart).toEqual(
      new Map([
        ['warm', 0],
        ['load', 1_000],
      ]),
    );
    expect(summaries.warm).toMatchObject({ executor: 'constant-vus', iterations: 10, startedAtMs: 0 });
    expect(summaries.load).toMatchObject({
      iterations: 20,
      dropped: 0,
      startedAtMs: 1_000,
      endedAtMs: 3_000,
    });
    expect(sink.counters.get('iterations{load}')).toBe(20);
  });

  it('stops everything promptly on the outer signal: in-flight interrupted, later executors never start', async () => {
    const clock = createVirtualClock();
    const ctl = new AbortController();
    void clock.sleepUntil(250).then(() => ctl.abort());
    const summaries = await runExecutors(
      {
        now: resolveExecutorConfig({ executor: 'constant-vus', vus: 3, duration: '1h' }),
        later: resolveExecutorConfig({ executor: 'shared-iterations', iterations: 5, startTime: '10m' }),
      },
      (ctx) => clock.sleepUntil(clock.now() + 100, ctx.signal),
      createTestSink(clock),
      clock,
      ctl.signal,
    );
    expect(summaries.now).toMatchObject({ iterations: 6, interrupted: 3, endedAtMs: 250 });
    expect(summaries.later).toMatchObject({ iterations: 0, startedAtMs: null, endedAtMs: 250 });
  });

  it('does not wait for iterations that ignore their signal after a hard stop', async () => {
    const clock = createVirtualClock();
    const ctl = new AbortController();
    void clock.sleepUntil(10).then(() => ctl.abort());
    const summaries = await runExecutors(
      {
        stuck: resolveExecutorConfig({
          executor: 'constant-arrival-rate',
          rate: 1,
          duration: '1m',
          preAllocatedVUs: 1,
        }),
      },
      () => new Promise<void>(() => {}),
      createTestSink(clock),
      clock,
      ctl.signal,
    );
    expect(summaries.stuck).toMatchObject({ iterations: 0, interrupted: 1, endedAtMs: 10 });
  });

  it('emits nothing for iterations that settle after the hard stop', async () => {
    const clock = createVirtualClock();
    const sink = createTestSink(clock);
    const ctl = new AbortController();
    void clock.sleepUntil(50).then(() => ctl.abort());
    const summaries = await runExecutors(
      {
        late: resolveExecutorConfig({
          executor: 'constant-arrival-rate',
          rate: 10,
          duration: '1s',
          preAllocatedVUs: 1,
        }),
      },
      () => clock.sleepUntil(clock.now() + 500), // ignores its signal, settles at 500
      sink,
      clock,
      ctl.signal,
    );
    expect(summaries.late).toMatchObject({ iterations: 0, interrupted: 1 });
    await clock.sleepUntil(1_000);
    expect(sink.counters.get('iterations{late}')).toBe(0);
    expect(sink.trends.get('iteration_duration{late}')).toEqual([]);
    expect(sink.gauges.get('vus{late}')?.at(-1)).toEqual({ atMs: 50, value: 0 });
  });

  it("plans each executor's timing from its config", () => {
    expect(
      executorTiming(resolveExecutorConfig({ executor: 'constant-vus', duration: '1m', startTime: '10s' })),
    ).toEqual({
      startMs: 10_000,
      endMs: 70_000,
      latestEndMs: 100_000,
    });
    expect(
      executorTiming(
        resolveExecutorConfig({
          executor: 'ramping-arrival-rate',
          preAllocatedVUs: 1,
          gracefulStop: 0,
          stages: [
            { duration: '5s', target: 5 },
            { duration: 2_500, target: 0 },
          ],
        }),
      ),
    ).toEqual({ startMs: 0, endMs: 7_500, latestEndMs: 7_500 });
    expect(executorTiming(resolveExecutorConfig({ executor: 'shared-iterations' })).endMs).toBe(600_000);
  });
});
