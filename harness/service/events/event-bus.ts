import type { ServiceLog } from '../logging/logger.js';
import type { EventBus, ServiceEventName, ServiceEvents } from '../types.js';

/**
 * The service's event bus: analytics, notifications and metrics listen to what the service
 * did without the request that did it depending on them. Unlike the guide's `EventEmitter`
 * subclass, a listener's failure never reaches the emitter: Node's `emit` rethrows a
 * listener's throw into the request, and an `async` listener's rejection becomes an
 * unhandled rejection (which ends the process by default).
 */

/** Options of {@link createEventBus}. */
export interface EventBusOptions {
  /** Where a listener's failure is logged (one `warn` line per failure). */
  logger: Pick<ServiceLog, 'warn'>;
}

type AnyListener = (payload: never) => void | Promise<void>;

const EVENT_NAMES: readonly ServiceEventName[] = ['message:received', 'response:generated', 'error:occurred'];

/** The parts of an error fit for a log line: never the whole object (it may hold a request). */
function describeFailure(err: unknown): { name: string; message: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'NonError', message: String(err) };
}

/**
 * Creates an {@link EventBus}. `emit` calls each listener in the order added, synchronously,
 * and returns without waiting for any promise one returns; a listener that throws or whose
 * promise rejects is logged once (event, listener name, error) and the others still run.
 *
 * @example
 * const bus = createEventBus({ logger: log });
 * const off = bus.on('message:received', async ({ userId, length }) => analytics.track(userId, length));
 * bus.emit('message:received', { userId: 'u1', sessionId: 's1', length: 12, opId: null });
 * bus.counts()['message:received']; // 1
 * off();
 */
export function createEventBus(options: EventBusOptions): EventBus {
  const { logger } = options;
  // Arrays, not sets: adding one function twice registers it twice (as EventEmitter does),
  // and each `on` gets the remover of its own registration.
  const listeners = new Map<ServiceEventName, AnyListener[]>(EVENT_NAMES.map((name) => [name, []]));
  const counts = Object.fromEntries(EVENT_NAMES.map((name) => [name, 0])) as Record<ServiceEventName, number>;

  const logFailure = (event: ServiceEventName, listener: AnyListener, err: unknown): void => {
    try {
      logger.warn(
        { event, listener: listener.name || 'anonymous', err: describeFailure(err) },
        `Event listener for ${event} failed; the emitter went on`,
      );
    } catch {
      // A broken logger must not break the emitter either.
    }
  };

  return {
    on(event, listener) {
      const list = listeners.get(event);
      if (list === undefined) throw new TypeError(`Unknown event ${String(event)}`);
      const entry = listener as AnyListener;
      list.push(entry);
      // Removes this registration once: a second call must not remove another registration
      // of the same function (indexOf would find it).
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        const i = list.lastIndexOf(entry);
        if (i >= 0) list.splice(i, 1);
      };
    },
    emit<E extends ServiceEventName>(event: E, payload: ServiceEvents[E]): void {
      const list = listeners.get(event);
      if (list === undefined) return;
      counts[event] += 1;
      // A copy: a listener that removes itself (or adds another) does not skip or add a call now.
      for (const listener of [...list]) {
        try {
          const result = (listener as (p: ServiceEvents[E]) => unknown)(payload);
          if (
            result !== null &&
            typeof result === 'object' &&
            typeof (result as Promise<void>).then === 'function'
          ) {
            (result as Promise<void>).then(undefined, (err: unknown) => logFailure(event, listener, err));
          }
        } catch (err) {
          logFailure(event, listener, err);
        }
      }
    },
    counts() {
      return { ...counts };
    },
  };
}
