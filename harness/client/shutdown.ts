import type { AttemptLoop } from './attempt-loop.js';
import type { Limiter } from './limiter.js';
import { type ClientTimers, unrefDelay } from './timers.js';
import type { Transport } from './transport.js';

/**
 * Closing a client, layer by layer from the top: flush the batcher, wait for every operation
 * to settle, close the limiter (dropping attempts still queued), then the transport's sockets.
 * With a bound, the waits share one deadline; attempts still on the wire are then left to
 * their own signals. The bound's timers are unref'd: a close never holds the process open.
 */

/** The layers to close, and the bound. */
export interface ShutdownOptions {
  /** The send batcher, or `null` without batching. */
  readonly batcher: { close(): Promise<void> } | null;
  readonly loop: AttemptLoop;
  readonly limiter: Limiter;
  readonly transport: Transport;
  /** Clock and timers of the bound. */
  readonly timers: ClientTimers;
  /** Longest wait, ms; `undefined`: wait for everything. */
  readonly timeoutMs: number | undefined;
}

/**
 * Closes the layers of one client, in order.
 *
 * @example
 * await shutdown({ batcher, loop, limiter, transport, timers: realTimers, timeoutMs: 5_000 });
 */
export async function shutdown(options: ShutdownOptions): Promise<void> {
  const { batcher, loop, limiter, transport, timers, timeoutMs } = options;
  const settled = (async () => {
    if (batcher !== null) await batcher.close();
    await loop.idle();
  })();
  const deadlineMs = timeoutMs === undefined ? Number.POSITIVE_INFINITY : timers.now() + timeoutMs;
  if (timeoutMs === undefined) await settled;
  else await Promise.race([settled, unrefDelay(timers, timeoutMs)]);
  await limiter.close();
  const leftMs = deadlineMs - timers.now();
  if (leftMs === Number.POSITIVE_INFINITY) await transport.close();
  else await Promise.race([transport.close(), unrefDelay(timers, Math.max(0, leftMs))]);
}
