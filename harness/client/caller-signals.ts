import { SmallSet } from './small-set.js';

/** An attempt its caller's signal can abort. */
export interface Abortable {
  abort(reason: Error): void;
}

/**
 * The attempts on the wire per caller signal, for one transport. A VU passes the same signal to
 * every call it makes, so one abort listener per signal replaces an add and a remove per
 * request. A signal whose attempts have all settled keeps its listener until the transport's
 * next sweep, which removes it: Node keeps a signal made by `AbortSignal.any()` or
 * `AbortSignal.timeout()` alive while it has a listener, so a listener left on such a signal
 * (a script passing one per call) would keep every one of them for good.
 *
 * @example
 * const signals = createCallerSignals<Attempt>();
 * attempt.callerAttempts = signals.add(request.signal, attempt); // on settle: callerAttempts.delete(attempt)
 * signals.sweep(); // from the transport's sweep timer
 */
export function createCallerSignals<A extends Abortable>() {
  const bySignal = new Map<AbortSignal, { attempts: SmallSet<A>; onAbort: () => void }>();
  return {
    /** Registers `attempt` under `signal` (not aborted); returns the set to delete it from when it settles. */
    add(signal: AbortSignal, attempt: A): SmallSet<A> {
      let entry = bySignal.get(signal);
      if (entry === undefined) {
        const attempts = new SmallSet<A>();
        const onAbort = () => {
          bySignal.delete(signal);
          for (const a of attempts.snapshot()) a.abort(signal.reason);
        };
        entry = { attempts, onAbort };
        bySignal.set(signal, entry);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      entry.attempts.add(attempt);
      return entry.attempts;
    },
    /** Removes the listeners of signals with no attempt on the wire. */
    sweep(): void {
      for (const [signal, entry] of bySignal) {
        if (entry.attempts.size > 0) continue;
        signal.removeEventListener('abort', entry.onAbort);
        bySignal.delete(signal);
      }
    },
    /** Signals with a listener now (for tests). */
    get size(): number {
      return bySignal.size;
    },
  };
}
