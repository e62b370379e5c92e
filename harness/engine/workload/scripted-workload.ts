import type { ScriptContext, ScriptedIteration } from '../../../scenarios/model/script.js';
import type { NexusClient } from '../../client/client.js';
import { deriveRandom, type Random } from '../../util/random.js';
import type { EngineClock, IterationFn, MetricDeclarations, SampleSink } from '../types.js';
import { createEffectLog } from './effect-log.js';
import { type OpHandles, opHandlesFor } from './op-handles.js';
import { createReasonTally, reasonOf } from './reason-tally.js';
import { createScriptApi, type ScriptApiOptions } from './script-api.js';
import { scriptClient } from './script-client.js';
import type { RunnableWorkload } from './workload.js';

/** The `op` tag of a scripted iteration's `op_duration`, `ops` and `op_failed`. */
export const SCRIPT_OP_TAG = 'script';

/** Options of {@link createScriptedWorkload}. */
export interface ScriptedWorkloadOptions {
  /** The scenario's `iteration`. */
  iteration: ScriptedIteration;
  /** The scenario's custom metrics (the sink must accept them: `createRecorder({ metrics })`). */
  metrics: MetricDeclarations;
  client: NexusClient;
  sink: SampleSink;
  /** The executors' clock: intended starts and `sleep` are on it. */
  clock: EngineClock;
  /** Seeds `random()`: iteration i of a run always gets the same numbers. */
  seed: number;
  /** Prefix of every op id (`x-harness-op`), unique per run so ledgers of several runs never mix. */
  runTag: string;
  /** Distinct error reasons kept as `script_errors` tags and in notices. Default 20. */
  maxErrorReasons?: number;
  /** Distinct tag sets per custom metric and for `checks`, by kind. Default `MAX_TAG_SETS`. */
  maxTagSets?: ScriptApiOptions['maxTagSets'];
}

/** A scripted workload: the executors' iteration function, the auditor's account, and notices. */
export interface RunnableScript extends RunnableWorkload {
  /** Notices for people about failed iterations and broken checks (empty when all went well). */
  notices(): string[];
}

/**
 * Waits `ms` on `clock`, less if `signal` aborts. Once `signal` has aborted it never resolves:
 * it rejects with the signal's reason (an `AbortError`), at once or when the abort cuts the
 * wait short. A loop that catches its client's errors and sleeps between tries therefore
 * leaves at its first sleep after the cut, instead of spinning on an instant `sleep` (k6 stops
 * the iteration's code outright there; a promise can only reject).
 */
async function sleepOn(clock: EngineClock, ms: number, signal: AbortSignal): Promise<void> {
  if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) {
    throw new TypeError(`Failed to sleep: expected a duration ≥ 0 in ms (got ${String(ms)}).`);
  }
  signal.throwIfAborted();
  if (ms === 0) return;
  await clock.sleepUntil(clock.now() + ms, signal);
  signal.throwIfAborted();
}

/**
 * Runs a scenario's scripted iteration as the executors' iteration function. Each iteration
 * is one operation of the application: `op_duration{op:script}` from its **intended start**
 * (coordinated-omission correct, as the op mix), `ops` and `op_failed` (a rejection is a
 * failure, and is counted in `script_errors{error:<reason>}` with the reason bounded). The
 * script's client calls are recorded by the client's hooks like any (`http_reqs`,
 * `rate_limited`, …) and its sends are tracked for the audit. An iteration cut off by the end
 * of the run records nothing of its own, neither success nor failure.
 *
 * @example
 * const script = createScriptedWorkload({ iteration: scenario.iteration, metrics: scenario.metrics,
 *   client, sink: recorder, clock, seed: 1, runTag: 'r1' });
 * await runExecutors(scenario.executors, script.iteration, recorder, clock, signal);
 * for (const text of script.notices()) console.log(text);
 */
export function createScriptedWorkload(options: ScriptedWorkloadOptions): RunnableScript {
  const { client, sink, clock, runTag, seed } = options;
  const script = options.iteration;
  const effects = createEffectLog();
  const errors = createReasonTally({ maxReasons: options.maxErrorReasons });
  const checkProblems = createReasonTally({ maxReasons: options.maxErrorReasons });
  const api = createScriptApi({
    sink,
    metrics: options.metrics,
    checkProblems,
    maxTagSets: options.maxTagSets,
  });
  const handles = new Map<string, OpHandles>();

  function opHandles(executor: string): OpHandles {
    let h = handles.get(executor);
    if (h === undefined) {
      const tags = { op: SCRIPT_OP_TAG, executor };
      h = opHandlesFor(sink, tags);
      handles.set(executor, h);
    }
    return h;
  }

  const iteration: IterationFn = async (ctx) => {
    const h = opHandles(ctx.executor);
    const { check, metric } = api.forIteration(ctx.executor, ctx.signal);
    let random: Random | undefined;
    const context: ScriptContext = {
      client: scriptClient(client, effects, ctx, runTag),
      executor: ctx.executor,
      vu: ctx.vu,
      iteration: ctx.iteration,
      vuIteration: ctx.vuIteration,
      signal: ctx.signal,
      check,
      metric,
      sleep: (ms) => sleepOn(clock, ms, ctx.signal),
      random: () => {
        random ??= deriveRandom(seed, ctx.iteration);
        return random();
      },
    };
    let failure: unknown;
    let ok = false;
    try {
      await script(context);
      ok = true;
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      if (!ctx.signal.aborted) {
        h.duration.record(clock.now() - ctx.intendedStartMs);
        h.count.add(1);
        h.failed.add(!ok);
        if (!ok) {
          const reason = errors.add(reasonOf(failure));
          sink.counter('script_errors', { executor: ctx.executor, error: reason }).add(1);
        }
      }
    }
  };

  return {
    iteration,
    effectfulCalls: effects.calls,
    notices() {
      const out: string[] = [];
      if (errors.total() > 0) {
        out.push(`scripted iteration failed ${errors.total()} time(s): ${errors.summary(3)}`);
      }
      if (checkProblems.total() > 0) {
        out.push(
          `${checkProblems.total()} check(s) counted as failed because the assertion threw or returned a promise, or the name was refused: ${checkProblems.summary(3)}`,
        );
      }
      out.push(...api.notices());
      return out;
    },
  };
}
