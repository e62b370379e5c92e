/** Test helpers for the result module: recorders on virtual time. Not part of the public API. */
import { createRecorder, type Recorder } from '../recorder/recorder.js';

/** A recorder on a virtual clock (no timer, no health sampling); `at(ms)` moves time and ticks. */
export function virtualRecorder(startMs = 0): { recorder: Recorder; at(ms: number): void } {
  let now = startMs;
  const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
  return {
    recorder,
    at(ms: number) {
      now = startMs + ms;
      recorder.tick();
    },
  };
}
