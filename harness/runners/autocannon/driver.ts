/**
 * The one place that calls autocannon: its options from ours, one tap per connection on the
 * client's own events, and the few figures of its result we keep (to compare with, never to
 * report its corrected percentiles). autocannon is loaded when a blast starts, not when this
 * module is imported: `nexus-harness list` must not pay for it.
 */
import { createRequire } from 'node:module';
import type { BlastRequest } from './requests.js';
import type { ConnectionTap } from './response-recorder.js';

/** Options of {@link driveAutocannon}. */
export interface DriveOptions {
  /** Origin of the target, e.g. `http://127.0.0.1:4010`; the requests carry the paths. */
  origin: string;
  /** Connections, each with one request in flight (no pipelining). At least 1. */
  connections: number;
  /** Length of the load, ms. */
  durationMs: number;
  /** Requests/s over all connections (an integer ≥ `connections`), or `null` for as fast as answered. */
  ratePerSec: number | null;
  /** A request gets no answer after this long, ms: counted lost, and the connection is remade. Default 10 000. */
  timeoutMs?: number;
  /** The requests connection `index` (0-based) cycles through. */
  requestsFor(index: number): BlastRequest[];
  /** The tap that records connection `index`'s events. */
  tapFor(index: number): ConnectionTap;
  /** Stops the load early (autocannon's `stop()`); the result covers what ran. */
  signal?: AbortSignal;
  /** Called right before autocannon starts its clients: time 0 of the load. */
  onStart?(): void;
}

/** What autocannon itself counted: raw figures, for comparison only. */
export interface AutocannonFigures {
  /** Responses autocannon counted. */
  responses: number;
  /** Mean of its per-second request counts, requests/s. */
  meanRps: number;
  /** Its raw (uncorrected: `ignoreCoordinatedOmission` is set) latency percentiles, ms. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** The client object autocannon hands `setupClient` (the parts we use). */
interface AutocannonClient {
  setRequests(requests: BlastRequest[]): void;
  on(event: 'request' | 'timeout' | 'connError', listener: () => void): void;
  on(event: 'response', listener: (status: number) => void): void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  stop(): void;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

let loaded: Autocannon | undefined;
// CommonJS without type declarations: required on first use and typed for the one call made.
const autocannon = (): Autocannon => {
  loaded ??= createRequire(import.meta.url)('autocannon') as Autocannon;
  return loaded;
};

/**
 * Runs autocannon with our requests and taps, and resolves with its own raw figures when the
 * load ends (its duration, or `signal`). Rejects if autocannon refuses the options.
 *
 * @example
 * const figures = await driveAutocannon({ origin, connections: 10, durationMs: 2_000, ratePerSec: null,
 *   requestsFor: () => requests, tapFor: () => recorder.connection(['getSession']) });
 */
export function driveAutocannon(options: DriveOptions): Promise<AutocannonFigures> {
  const run = autocannon();
  let next = 0;
  const opts: Record<string, unknown> = {
    url: options.origin,
    connections: options.connections,
    duration: options.durationMs / 1_000,
    timeout: (options.timeoutMs ?? 10_000) / 1_000,
    pipelining: 1,
    // Its first request per connection comes from `requests`; setupClient gives each its own.
    requests: options.requestsFor(0),
    setupClient(client: AutocannonClient) {
      const index = next++;
      const tap = options.tapFor(index);
      if (index > 0) client.setRequests(options.requestsFor(index));
      client.on('request', () => tap.sent());
      client.on('response', (status) => tap.answered(status));
      client.on('timeout', () => tap.lost());
      client.on('connError', () => tap.lost());
    },
  };
  if (options.ratePerSec !== null) {
    opts.overallRate = options.ratePerSec;
    // Its own figures stay raw; ours are measured from the intended start (response-recorder.ts).
    opts.ignoreCoordinatedOmission = true;
  }
  return new Promise((resolve, reject) => {
    options.onStart?.();
    const instance = run(opts, (err, raw) => {
      options.signal?.removeEventListener('abort', stop);
      if (err) {
        reject(
          new Error(`Failed to run autocannon against ${options.origin}: ${err.message}`, { cause: err }),
        );
        return;
      }
      resolve({
        responses: raw.requests.total,
        meanRps: raw.requests.average,
        latencyP50Ms: raw.latency.p50,
        latencyP99Ms: raw.latency.p99,
        latencyMaxMs: raw.latency.max,
        errors: raw.errors,
        timeouts: raw.timeouts,
        non2xx: raw.non2xx,
      });
    });
    const stop = () => instance.stop();
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
}
