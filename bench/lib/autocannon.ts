import { createRequire } from 'node:module';

/** The subset of autocannon's options this wrapper passes through. */
export interface LoadOptions {
  /** Full URL to load, e.g. `http://127.0.0.1:4010/api/public/thread/…`. Loopback only. */
  url: string;
  /** Concurrent connections. Default 50. */
  connections?: number;
  /** Measured duration, seconds. Default 3. */
  durationSec?: number;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Don't throw on connection errors or timeouts (e.g. a bench of fault injection). Default false. */
  allowErrors?: boolean;
  /** Don't throw on non-2xx responses (e.g. a bench of 429 handling). Default false. */
  allowNon2xx?: boolean;
}

/** What one autocannon run measured. */
export interface LoadResult {
  /** Mean of autocannon's per-second request counts, requests/s. */
  rps: number;
  /** Median latency, ms. */
  p50Ms: number;
  /** 99th-percentile latency, ms. Closed-model (no rate), so autocannon applies no correction. */
  p99Ms: number;
  /** Responses received in total. */
  requests: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
}

/** The parts of autocannon's result object we read (the package ships no types). */
interface RawResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: RawResult) => void,
) => unknown;

// autocannon is CommonJS without type declarations; load it through require and type the
// one call we make, rather than an ambient `declare module` that would claim more than we use.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * Loads `url` with autocannon (closed model: `connections` in flight, each sending the next
 * request as soon as the previous answer arrives) and resolves with its throughput and
 * latency. Rejects if any request failed or got a non-2xx status, unless allowed: a bench
 * that counts errors as throughput would flatter the server.
 *
 * @example
 * const { rps, p99Ms } = await load({ url: `${origin}/health`, connections: 50, durationSec: 3 });
 */
export function load(options: LoadOptions): Promise<LoadResult> {
  const opts: Record<string, unknown> = {
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationSec ?? 3,
    method: options.method ?? 'GET',
  };
  if (options.headers) opts.headers = options.headers;
  if (options.body !== undefined) opts.body = options.body;
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, raw) => {
      if (err) {
        reject(new Error(`Failed to load ${options.url}: ${err.message}`, { cause: err }));
        return;
      }
      const result: LoadResult = {
        rps: raw.requests.average,
        p50Ms: raw.latency.p50,
        p99Ms: raw.latency.p99,
        requests: raw.requests.total,
        errors: raw.errors,
        non2xx: raw.non2xx,
      };
      const problems: string[] = [];
      if (result.errors > 0 && !options.allowErrors) problems.push(`${result.errors} connection errors`);
      if (result.non2xx > 0 && !options.allowNon2xx) problems.push(`${result.non2xx} non-2xx responses`);
      if (result.requests === 0) problems.push('no responses at all');
      if (problems.length > 0) {
        reject(
          new Error(
            `Failed to load ${options.url}: ${problems.join(', ')} out of ${result.requests}. ` +
              'Check the target serves this request, or pass allowErrors/allowNon2xx if that is the point.',
          ),
        );
        return;
      }
      resolve(result);
    });
  });
}
