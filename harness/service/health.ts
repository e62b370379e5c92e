import { randomUUID } from 'node:crypto';
import { isNetworkError, isNexusApiError, isRateLimitedError, isTimeoutError } from '../client/errors.js';
import type { ClientSource } from './types.js';

/**
 * The health check (the guide's `HealthCheckService`): is the Nexus API reachable with the key
 * in use, and is the store (Redis, or the in-memory one) answering? Each check is bounded by
 * its own timeout, so a stalled dependency makes `/health` answer "unhealthy" in time instead
 * of hanging the probe that asked.
 */

/** What the check needs of the stores: their kind and a ping. */
export interface PingableStore {
  readonly kind: string;
  ping(): Promise<unknown>;
}

/** Options of {@link createHealthCheck}. */
export interface HealthCheckOptions {
  clients: ClientSource;
  store: PingableStore;
  /** Longest wait for each check, ms. Default 2_000. */
  timeoutMs?: number;
  /** Clock of `durationMs`, ms. Default `performance.now`. */
  now?: () => number;
}

/** One dependency's state. */
export interface CheckResult {
  healthy: boolean;
  durationMs: number;
  /** Why it is unhealthy (or, when healthy, a note such as `rate-limited`); never a secret. */
  error?: string;
}

/** What `/health` answers. */
export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  /** ISO-8601. */
  timestamp: string;
  checks: { api: CheckResult; store: CheckResult & { kind: string } };
}

export interface HealthCheck {
  check(): Promise<HealthReport>;
}

/** Longest `error` text, characters: enough for a reason, short enough for a probe's log. */
const MAX_ERROR_CHARS = 200;

/**
 * Why a check failed, for whoever asks `/health` (a load balancer, anyone who can reach it): a
 * client error by its type, route and status only, never the API's own text (an error page, a
 * stack, an internal host); our own errors (a timeout here, a store's) by their message.
 */
function describe(err: unknown): string {
  if (isNexusApiError(err)) return `${err.route}: status ${err.status}`;
  if (isNetworkError(err)) return `network error ${err.errno}`;
  if (isTimeoutError(err)) return `${err.phase} timeout`;
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 3)}...` : text;
}

/** `work(signal)`, rejected after `timeoutMs` even if `work` ignores its signal. */
async function bounded<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new Error(`no answer within ${timeoutMs} ms`);
      controller.abort(reason);
      reject(reason);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the health check.
 *
 * @example
 * const health = createHealthCheck({ clients, store: stores, timeoutMs: 1_000 });
 * const report = await health.check();
 * reply.code(report.status === 'healthy' ? 200 : 503).send(report);
 */
export function createHealthCheck(options: HealthCheckOptions): HealthCheck {
  const { clients, store } = options;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? (() => performance.now());

  async function timed(work: (signal: AbortSignal) => Promise<string | undefined>): Promise<CheckResult> {
    const start = now();
    try {
      const note = await bounded(timeoutMs, work);
      const durationMs = now() - start;
      return note === undefined ? { healthy: true, durationMs } : { healthy: true, durationMs, error: note };
    } catch (err) {
      return { healthy: false, durationMs: now() - start, error: describe(err) };
    }
  }

  /** A session that cannot exist: 404 proves the API answers and accepts the key, for one cheap read. */
  const checkApi = () =>
    timed(async (signal) => {
      try {
        await clients.current().getSession(randomUUID(), { signal });
        return undefined;
      } catch (err) {
        if (isNexusApiError(err) && err.status === 404) return undefined;
        // Rate-limited is reachable with a valid key: pulling the instance out of rotation
        // for it would only move its users onto the same key elsewhere.
        if (isRateLimitedError(err)) return 'rate-limited';
        throw err;
      }
    });

  const checkStore = () =>
    timed(async () => {
      await store.ping();
      return undefined;
    });

  return {
    async check() {
      const [api, storeResult] = await Promise.all([checkApi(), checkStore()]);
      return {
        status: api.healthy && storeResult.healthy ? 'healthy' : 'unhealthy',
        timestamp: new Date().toISOString(),
        checks: { api, store: { kind: store.kind, ...storeResult } },
      };
    },
  };
}
