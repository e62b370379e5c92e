import { setMaxListeners } from 'node:events';
import type { ExecutorType } from '../../../scenarios/model/executors/common.js';
import type {
  CounterHandle,
  EngineClock,
  GaugeHandle,
  IterationContext,
  IterationFn,
  SampleSink,
  Tags,
  TrendHandle,
  VuInitFn,
} from '../types.js';
import type { ExecutorEnv, ExecutorSummary } from './base.js';

/**
 * One virtual user of an executor. Its controller's signal is what its iterations see.
 *
 * @example
 * const vu: Vu = run.allocateVu(); // { id: 1, iterations: 0, ctl }
 */
export interface Vu {
  /** 1-based, within the executor. */
  readonly id: number;
  /** Iterations started by this VU (the next one's `vuIteration`). */
  iterations: number;
  /** Aborted to interrupt this VU's iteration (ramp-down, graceful stop ran out, Ctrl-C). */
  ctl: AbortController;
}

/**
 * An AbortController aborted when any of `signals` aborts; `dispose()` removes its listeners.
 *
 * @example
 * const linked = linkSignals(run.stop.signal, done.signal);
 * await clock.sleepUntil(at, linked.signal);
 * linked.dispose();
 */
export function linkSignals(...signals: (AbortSignal | undefined)[]): AbortController & { dispose(): void } {
  const ctl = new AbortController() as AbortController & { dispose(): void };
  const onAbort = () => ctl.abort();
  for (const s of signals) {
    if (s?.aborted) ctl.abort();
    else s?.addEventListener('abort', onAbort, { once: true });
  }
  ctl.dispose = () => {
    for (const s of signals) s?.removeEventListener('abort', onAbort);
  };
  return ctl;
}

/**
 * The state one executor run shares between its scheduling loop and its VUs: sample handles
 * (obtained once), counts, in-flight tracking, VU allocation and the stop sequence
 * (`stopping` → graceful period → hard stop). Executors only emit samples through it.
 *
 * @example
 * const run = new RunState('constant-vus', env);
 * const vu = run.allocateVu();
 * await run.iterate(vu, run.clock.now());
 * return run.finish(run.clock.now() + gracefulStopMs);
 */
export class RunState {
  readonly clock: EngineClock;
  readonly name: string;
  /** Aborted at the hard stop: every sleep of the executor should use it. */
  readonly stop = new AbortController();
  /** No new iterations once true (end of duration, all work done, or hard stop). */
  stopping = false;
  readonly startedAtMs: number;
  readonly vus: Vu[] = [];

  #type: ExecutorType;
  #fn: IterationFn;
  #hardStopped = false;
  #finished = false;
  #inFlight = 0;
  #nextIteration = 0;
  #iterations = 0;
  #failed = 0;
  #dropped = 0;
  #interrupted = 0;
  #onIdle: (() => void) | undefined;
  #outer: AbortSignal | undefined;
  #onOuterAbort = () => this.hardStop();
  #iterationsCounter: CounterHandle;
  #droppedCounter: CounterHandle;
  #duration: TrendHandle;
  #vusGauge: GaugeHandle;
  #vusMaxGauge: GaugeHandle;
  #lateness: TrendHandle;
  #initVu: VuInitFn | undefined;
  /** Made on first use: a run whose VUs need no set-up shows no `vu_init_duration`. */
  #vuInitDuration: TrendHandle | undefined;
  #sink: SampleSink;
  #tags: Tags;

  constructor(type: ExecutorType, env: ExecutorEnv) {
    this.#type = type;
    this.#fn = env.iterationFn;
    this.clock = env.clock;
    this.name = env.name;
    this.startedAtMs = env.clock.now();
    // Every VU sleeps on this one signal: hundreds of listeners are expected, not a leak.
    setMaxListeners(0, this.stop.signal);
    const tags: Tags = Object.freeze({ executor: env.name });
    this.#iterationsCounter = env.sink.counter('iterations', tags);
    this.#droppedCounter = env.sink.counter('dropped_iterations', tags);
    this.#duration = env.sink.trend('iteration_duration', tags);
    this.#lateness = env.sink.trend('schedule_lateness', tags);
    this.#vusGauge = env.sink.gauge('vus', tags);
    this.#vusMaxGauge = env.sink.gauge('vus_max', tags);
    this.#initVu = env.initVu;
    this.#sink = env.sink;
    this.#tags = tags;
    this.#outer = env.signal;
    if (env.signal?.aborted) this.hardStop();
    else env.signal?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** Iterations running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Adds a VU (ids from 1) and updates `vus_max`. */
  allocateVu(): Vu {
    const vu: Vu = { id: this.vus.length + 1, iterations: 0, ctl: new AbortController() };
    this.vus.push(vu);
    this.#vusMaxGauge.set(this.vus.length);
    return vu;
  }

  /**
   * Sets up `vu`, added during the run, through the env's `initVu`, and records how long it
   * took (`vu_init_duration`); `null` when it needs nothing. Never rejects.
   */
  initVu(vu: Vu): Promise<void> | null {
    const init = this.#initVu?.(this.name, vu.id, this.stop.signal) ?? null;
    if (init === null) return null;
    const startMs = this.clock.now();
    this.#vuInitDuration ??= this.#sink.trend('vu_init_duration', this.#tags);
    const duration = this.#vuInitDuration;
    // A set-up that ends after the executor did records nothing, as a late iteration does not.
    const record = () => {
      if (!this.#finished) duration.record(this.clock.now() - startMs);
    };
    return init.then(record, record);
  }

  /** Sets the `vus` gauge (ignored once the executor has finished: late settlers emit nothing). */
  setVus(n: number): void {
    if (!this.#finished) this.#vusGauge.set(n);
  }

  /** Counts `n` (default 1) iterations that could not start (`dropped_iterations`). */
  drop(n = 1): void {
    if (n <= 0) return;
    this.#dropped += n;
    this.#droppedCounter.add(n);
  }

  /**
   * Runs one iteration on `vu`. Resolves true when it ran to its end (resolved or rejected:
   * counted in `iterations`, its `iteration_duration` measured from `intendedStartMs`), false
   * when its signal aborted first (counted as interrupted, no samples, as k6). Never rejects.
   */
  async iterate(vu: Vu, intendedStartMs: number): Promise<boolean> {
    const signal = vu.ctl.signal;
    const ctx: IterationContext = {
      executor: this.name,
      vu: vu.id,
      vuIteration: vu.iterations++,
      iteration: this.#nextIteration++,
      intendedStartMs,
      signal,
    };
    this.#lateness.record(this.clock.now() - intendedStartMs);
    this.#inFlight++;
    let ok = true;
    try {
      await this.#fn(ctx);
    } catch {
      ok = false;
    }
    if (this.#hardStopped) return false; // counted as interrupted by hardStop()
    this.#inFlight--;
    if (signal.aborted) {
      this.#interrupted++;
    } else {
      this.#iterations++;
      if (!ok) this.#failed++;
      this.#iterationsCounter.add(1);
      this.#duration.record(this.clock.now() - intendedStartMs);
    }
    if (this.#inFlight === 0) this.#onIdle?.();
    return !signal.aborted;
  }

  /**
   * Sleeps until `atMs` on the executor's clock, or until `done` settles, or the hard stop.
   * Cancels its timer either way, so nothing is left pending.
   */
  async sleepUntilOr(atMs: number, done?: Promise<unknown>): Promise<void> {
    const wake = linkSignals(this.stop.signal);
    void done?.then(
      () => wake.abort(),
      () => wake.abort(),
    );
    await this.clock.sleepUntil(atMs, wake.signal);
    wake.dispose();
  }

  /**
   * The end of the executor: no new iterations; in-flight ones may finish until
   * `gracefulDeadlineMs`, then their signals abort (hard stop). Resolves with the summary.
   */
  async finish(gracefulDeadlineMs: number): Promise<ExecutorSummary> {
    this.stopping = true;
    if (this.#inFlight > 0 && !this.#hardStopped) {
      const wake = linkSignals(this.stop.signal);
      this.#onIdle = () => wake.abort();
      await this.clock.sleepUntil(gracefulDeadlineMs, wake.signal);
      wake.dispose();
      this.#onIdle = undefined;
      if (this.#inFlight > 0) this.hardStop();
    }
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
    this.setVus(0);
    this.#finished = true;
    this.stop.abort(); // wakes any sleep still pending, so no timer outlives the executor
    return this.summary();
  }

  /**
   * Stops at once: aborts every VU's signal and counts the iterations in flight as
   * interrupted without waiting for them (a function that ignores its signal cannot hold the
   * run). Idempotent.
   */
  hardStop(): void {
    if (this.#hardStopped) return;
    this.#hardStopped = true;
    this.stopping = true;
    this.#interrupted += this.#inFlight;
    this.#inFlight = 0;
    for (const vu of this.vus) vu.ctl.abort();
    this.stop.abort();
    this.#onIdle?.();
  }

  /** The counts so far. */
  summary(): ExecutorSummary {
    return {
      executor: this.#type,
      iterations: this.#iterations,
      failed: this.#failed,
      dropped: this.#dropped,
      interrupted: this.#interrupted,
      demanded: null, // set by runExecutors, which knows the config
      vusMax: this.vus.length,
      startedAtMs: this.startedAtMs,
      endedAtMs: this.clock.now(),
    };
  }
}

/**
 * Iterations a closed-model VU runs between two yields to the event loop. An iteration that
 * sends a request has already waited for I/O; the yield is for one that never waits, which
 * would otherwise loop on microtasks and starve timers. Yielding after each iteration cost a
 * promise and a resumption per request for nothing.
 */
const ITERATIONS_PER_YIELD = 8;

/**
 * The closed-model VU loop: while the executor is not stopping and `take()` allows, run an
 * iteration whose intended start is the moment the VU became free; every
 * {@link ITERATIONS_PER_YIELD} iterations, yield on the clock (so a function that never waits
 * cannot starve timers).
 *
 * @example
 * await closedLoop(run, vu, () => vu.iterations < 10);
 */
export async function closedLoop(run: RunState, vu: Vu, take: () => boolean): Promise<void> {
  while (!run.stopping && take()) {
    await run.iterate(vu, run.clock.now());
    if (vu.iterations % ITERATIONS_PER_YIELD === 0) {
      await run.clock.sleepUntil(run.clock.now(), run.stop.signal);
    }
  }
}

/**
 * The run of an iteration-bounded executor (`per-vu-iterations`, `shared-iterations`): `vus`
 * closed-model VUs, each looping while `take(vu)` allows; ends when all are done or at
 * `maxDuration` (then in-flight iterations get `gracefulStop`). The two executors differ only
 * in `take`.
 *
 * @example
 * return runBoundedIterations(run, config, (vu) => vu.iterations < config.iterations);
 */
export async function runBoundedIterations(
  run: RunState,
  config: { vus: number; maxDuration: number; gracefulStop: number },
  take: (vu: Vu) => boolean,
): Promise<ExecutorSummary> {
  const endMs = run.startedAtMs + config.maxDuration;
  let active = config.vus;
  const loops: Promise<void>[] = [];
  for (let i = 0; i < config.vus; i++) {
    const vu = run.allocateVu();
    loops.push(
      closedLoop(run, vu, () => take(vu)).then(() => {
        if (!run.stopping) run.setVus(--active);
      }),
    );
  }
  run.setVus(active);
  await run.sleepUntilOr(endMs, Promise.all(loops));
  return run.finish(endMs + config.gracefulStop);
}
