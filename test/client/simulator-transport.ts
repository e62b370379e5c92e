import type { Transport, TransportRequest, TransportResponse } from '../../harness/client/index.js';
import type { VirtualClock } from '../../harness/engine/clock-virtual.js';
import { parseBodyText } from '../../mock-server/core/json-body.js';
import type { Simulator } from '../../mock-server/core/simulator.js';

/**
 * A client transport that hands each request straight to the mock's simulator core, in
 * process, with no socket and no face: for tests of the client's own behaviour (limits,
 * retries, pauses) on a virtual clock. Give the simulator the same clock
 * (`createSimulator(config, { clock: virtualClock })`) and the client `timersFromClock(clock)`:
 * the ledger's arrival times and the client's hook times are then one timeline, and a storm
 * that waits out ten rate-limit windows takes no wall time. Network latency (`latencyMs`) and
 * the mock's injected latency (`delayMs`) are slept on the clock; connection faults (reset, stall, …) are not carried out: the attempt
 * fails with an error that says so.
 *
 * What it does not cover is the faces (HTTP, MSW): their parity is tested in test/mock-server.
 *
 * @example
 * const clock = createVirtualClock(Date.UTC(2030, 0, 1));
 * const sim = createSimulator({ limits: false }, { clock });
 * const client = createNexusClient({ apiKey: API_KEY, transport: simulatorTransport(sim, clock),
 *   rateLimit: false, timers: timersFromClock(clock) });
 */
export function simulatorTransport(
  sim: Simulator,
  clock: VirtualClock,
  options: {
    /**
     * One-way network latency, virtual ms: the simulator sees the request this long after it
     * was sent, and the client the answer this long after it was given. Default 0 (then each
     * answer arrives before the next request of a burst is sent, and a burst never overlaps).
     */
    latencyMs?: number;
  } = {},
): Transport {
  const latencyMs = options.latencyMs ?? 0;
  const travel = async (signal: AbortSignal | undefined) => {
    if (latencyMs > 0) await clock.sleepUntil(clock.now() + latencyMs, signal);
    signal?.throwIfAborted();
  };
  let running = 0;
  return {
    name: 'simulator',
    async send(request: TransportRequest): Promise<TransportResponse> {
      const q = request.path.indexOf('?');
      const parsed = parseBodyText(request.body ?? '');
      running++;
      try {
        await travel(request.signal);
        const response = sim.handle({
          method: request.method,
          path: q === -1 ? request.path : request.path.slice(0, q),
          query: q === -1 ? '' : request.path.slice(q + 1),
          header: (name) => request.headers[name],
          body: parsed.kind === 'json' ? parsed.value : undefined,
          ...(parsed.kind !== 'json' && parsed.kind !== 'none' && { bodyError: parsed.kind }),
        });
        if (response.delayMs > 0) await clock.sleepUntil(clock.now() + response.delayMs, request.signal);
        await travel(request.signal);
        if (response.fault !== undefined) {
          throw new Error(
            `Failed to carry out the mock's ${response.fault.kind} fault: the simulator transport has no connection. Use a face (test/mock-server/faces.ts) for connection faults.`,
          );
        }
        request.onHeaders?.(response.status, response.headers);
        return { status: response.status, headers: response.headers, body: response.body ?? '' };
      } finally {
        running--;
      }
    },
    stats: () => ({ connected: 0, running, pending: 0 }),
    close: async () => {},
  };
}
