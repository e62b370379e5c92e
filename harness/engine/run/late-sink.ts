import type { SampleSink } from '../types.js';

/** A {@link SampleSink} that forwards to one bound later, with {@link LateSink.bind}. */
export interface LateSink extends SampleSink {
  /** Binds the sink every handle is made on from now on. Once. */
  bind(sink: SampleSink): void;
}

/**
 * A sink to hand the workload before the recorder exists: the run's setup (VU sessions, the
 * pool's connections) happens before the clock starts, and the recorder is made when it does.
 * Handles are made on first use, so forwarding costs nothing per sample; asking for one before
 * `bind` is a bug in the run, and throws.
 *
 * @example
 * const sink = createLateSink();
 * const workload = createWorkload({ sink, ... });
 * await setup(workload);
 * sink.bind(createRecorder({ clock }));
 */
export function createLateSink(): LateSink {
  let bound: SampleSink | null = null;
  const target = (): SampleSink => {
    if (bound === null) throw new Error('a metric was recorded before the run started (late sink not bound)');
    return bound;
  };
  return {
    bind(sink) {
      if (bound !== null) throw new Error('the late sink is already bound');
      bound = sink;
    },
    trend: (name, tags) => target().trend(name, tags),
    counter: (name, tags) => target().counter(name, tags),
    rate: (name, tags) => target().rate(name, tags),
    gauge: (name, tags) => target().gauge(name, tags),
  };
}
