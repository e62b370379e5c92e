import { createRequire } from 'node:module';
import Bottleneck from 'bottleneck';
import type { RedisOptions } from 'ioredis';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { ClientClosedError, QueueFullError, RateLimitedError } from './errors.js';
import type { RateLimitStateEvent } from './hooks.js';
import { DEFAULT_RATE_LIMIT } from './options-schema.js';
import { createRateGate, type RateGate } from './rate-gate.js';
import { raceSignal } from './sleep.js';
import type { ClientTimers } from './timers.js';

/** Job priorities (bottleneck's scale: lower runs first): retries go before first attempts. */
export const PRIORITY = { retry: 4, first: 5 } as const;

/**
 * The rate limiter: bottleneck for the client's own budgets (concurrency, per-minute and
 * per-hour, optional even spacing, optionally shared through Redis), followed by the
 * {@link RateGate} that follows the server's word. Every attempt, the retries included,
 * goes through both: retries never bypass the budget.
 *
 * Around bottleneck's known weak spots:
 * - no "pause for N ms" on a 429: the gate does it, and in a cluster the pause is broadcast
 *   to every process (bottleneck's `publish`);
 * - refresh intervals are not aligned with the server's windows and burst at the boundary:
 *   the gate syncs to the server's announced reset; with `spacing: 'even'` (the default when
 *   shared through Redis) starts are spaced `windowMs / limit` plus 10 % apart, so no
 *   server window of any phase sees more than `limit`.
 */

/** A request budget: at most `limit` starts per `windowMs`. */
export interface WindowBudget {
  limit: number;
  windowMs: number;
}

/** Sharing one key's budget between processes through Redis (bottleneck clustering). */
export interface RedisClusterOptions {
  /** ioredis connection options (host, port, …). Default `{}` (localhost:6379). */
  connection?: RedisOptions;
  /**
   * Limiter id shared by every process of the cluster. Default derived from the API key's
   * fingerprint (never the key itself), so processes using the same key share a budget.
   */
  id?: string;
}

export interface RateLimitOptions {
  /** Attempts on the wire at once (cluster-wide when shared). Default 10. */
  maxConcurrent?: number;
  /** Per-minute budget, or `false`. Default `{ limit: 60, windowMs: 60_000 }` (the real API's). */
  perMinute?: WindowBudget | false;
  /** Per-hour budget, or `false`. Default `{ limit: 1_000, windowMs: 3_600_000 }` (the real API's). */
  perHour?: WindowBudget | false;
  /**
   * `burst`: spend the per-minute budget as fast as allowed (reservoir refreshed each window).
   * `even`: space starts by `windowMs / limit` + 10 %. Default `burst`, or `even` with `redis`.
   */
  spacing?: 'burst' | 'even';
  /** Attempts waiting in the limiter before new ones are refused with `QueueFullError`. Default 10_000. */
  maxQueued?: number;
  /** Margin added to the server's reset times for clock skew, ms. Default 50. */
  clockMarginMs?: number;
  /** Pause after a 429 without `Retry-After` or `X-RateLimit-Reset`, ms. Default 1_000. */
  fallbackPauseMs?: number;
  /** Share the budget with other processes through Redis. Default: not shared. */
  redis?: RedisClusterOptions;
}

/**
 * One attempt for the limiter. The client passes the same object for every attempt of an
 * operation (only `priority` changes), so scheduling allocates nothing of its own.
 */
export interface LimiterJob<T> {
  /** Lower runs first: {@link PRIORITY}. */
  readonly priority: number;
  /** Longest wait for a rate-limit reset, ms; beyond it the job fails with `RateLimitedError`. */
  readonly maxWaitMs: number;
  /** For error messages: `GET /thread/{id}`. */
  readonly route: string;
  /** Aborts the wait (and is the task's to honour once it runs). */
  readonly signal: AbortSignal | undefined;
  /**
   * The attempt itself, run once the budgets and the gate admit it; called as a method of the
   * job (`job.task()`), so a job may keep it on its prototype.
   */
  task(): Promise<T>;
}

/** Clock, timers and state listener of {@link createLimiter}. */
export interface LimiterHooks {
  /** Clock, ms. Default `timers.now`, else `Date.now`. */
  now?: () => number;
  /** Timers of the rate gate. Default the real ones. bottleneck's budgets always use the real clock. */
  timers?: ClientTimers;
  /** Called whenever the gate's view of the server's rate limit changes. */
  onState?: (event: RateLimitStateEvent) => void;
}

export interface Limiter {
  readonly gate: RateGate;
  /**
   * Runs `job.task` once the budgets admit it and the gate lets it through; `job.maxWaitMs`
   * bounds the wait for a rate-limit reset (beyond it: `RateLimitedError`).
   */
  schedule<T>(job: LimiterJob<T>): Promise<T>;
  /** Resolves when the limiter (and its Redis connection) is ready. */
  ready(): Promise<void>;
  /** Stops the limiter; waiting attempts are released, Redis is disconnected. */
  close(): Promise<void>;
}

const PAUSE_MESSAGE = 'nh-pause:';
const STOPPED_MESSAGE = 'nexus-harness: the limiter was closed';

/**
 * Creates the limiter, or a gate-only limiter when `options` is `false` (no own budgets,
 * server signals still honoured).
 *
 * @example
 * const limiter = createLimiter({ maxConcurrent: 4, perMinute: { limit: 10, windowMs: 2_000 } }, 'key-fp');
 * const res = await limiter.schedule({
 *   priority: PRIORITY.first, maxWaitMs: 30_000, route: 'GET /thread/{id}', signal: undefined, task: () => send(),
 * });
 */
export function createLimiter(
  options: RateLimitOptions | false,
  keyFingerprint: string,
  hooks: LimiterHooks = {},
): Limiter {
  const timers = hooks.timers;
  const now = hooks.now ?? (timers !== undefined ? () => timers.now() : Date.now);
  let broadcast: ((untilMs: number) => void) | undefined;
  const gate = createRateGate({
    clockMarginMs: options === false ? undefined : options.clockMarginMs,
    fallbackPauseMs: options === false ? undefined : options.fallbackPauseMs,
    now,
    timers,
    onState: hooks.onState,
    onPause: (untilMs) => broadcast?.(untilMs),
  });

  async function passGate(maxWaitMs: number, route: string, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const readyAt = gate.tryAcquire();
      if (readyAt === 0) return;
      if (signal?.aborted) throw signal.reason;
      const t = now();
      if (Number.isFinite(readyAt) && readyAt - t > maxWaitMs) {
        throw new RateLimitedError(route, readyAt, null, `the key is paused longer than ${maxWaitMs} ms`);
      }
      // Infinity: waiting for in-flight responses to announce the new window; bounded by maxWaitMs.
      await gate.waitForChange(Number.isFinite(readyAt) ? readyAt : t + Math.min(maxWaitMs, 1_000), signal);
    }
  }

  if (options === false) {
    return {
      gate,
      schedule: (job) => {
        // Fast path: no promise for the gate when it lets the attempt through at once.
        if (gate.tryAcquire() === 0) return job.task();
        return passGate(job.maxWaitMs, job.route, job.signal).then(() => job.task());
      },
      ready: () => Promise.resolve(),
      close: async () => gate.close(),
    };
  }

  const maxConcurrent = options.maxConcurrent ?? DEFAULT_RATE_LIMIT.maxConcurrent;
  const perMinute = options.perMinute ?? DEFAULT_RATE_LIMIT.perMinute;
  const perHour = options.perHour ?? DEFAULT_RATE_LIMIT.perHour;
  const spacing = options.spacing ?? (options.redis ? 'even' : 'burst');
  const maxQueued = options.maxQueued ?? DEFAULT_RATE_LIMIT.maxQueued;
  const clustered = options.redis !== undefined;
  const id = options.redis?.id ?? `nexus-harness-${keyFingerprint}`;

  if (perMinute === false && perHour === false && !clustered) {
    // No budget to keep: only a concurrency cap, which needs no bottleneck (see concurrency-limit.ts).
    const limit = createConcurrencyLimit(maxConcurrent, maxQueued);
    // Made once and handed each job: no closure per attempt.
    const throughGate = <T>(job: LimiterJob<T>): Promise<T> => {
      if (gate.tryAcquire() === 0) return job.task();
      return passGate(job.maxWaitMs, job.route, job.signal).then(() => job.task());
    };
    return {
      gate,
      schedule: (job) => limit.run(job.priority < PRIORITY.first, throughGate, job, job.signal),
      ready: () => Promise.resolve(),
      close: async () => {
        gate.close();
        limit.drain(new ClientClosedError('send an attempt'));
      },
    };
  }

  const shared: Bottleneck.ConstructorOptions = clustered
    ? {
        datastore: 'ioredis',
        clearDatastore: false,
        clientOptions: options.redis?.connection ?? {},
        // Loaded here, not at import: only a client that shares its budget through Redis pays for ioredis.
        Redis: (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis,
        timeout: 5 * 60_000,
      }
    : {};
  const minute = new Bottleneck({
    ...shared,
    id: `${id}-minute`,
    maxConcurrent,
    highWater: maxQueued,
    strategy: Bottleneck.strategy.OVERFLOW,
    ...(perMinute === false
      ? {}
      : spacing === 'even'
        ? { minTime: Math.ceil((perMinute.windowMs / perMinute.limit) * 1.1) }
        : {
            reservoir: perMinute.limit,
            reservoirRefreshAmount: perMinute.limit,
            reservoirRefreshInterval: perMinute.windowMs,
          }),
  });
  const hour =
    perHour === false
      ? null
      : new Bottleneck({
          ...shared,
          id: `${id}-hour`,
          reservoir: perHour.limit,
          reservoirRefreshAmount: perHour.limit,
          reservoirRefreshInterval: perHour.windowMs,
        });
  if (hour !== null) minute.chain(hour);

  if (clustered) {
    broadcast = (untilMs) => {
      minute.publish(PAUSE_MESSAGE + untilMs).catch(() => {
        // Best effort: the other processes learn the pause from their own 429s otherwise.
      });
    };
    minute.on('message', (message: string) => {
      if (message.startsWith(PAUSE_MESSAGE)) gate.pause(Number(message.slice(PAUSE_MESSAGE.length)));
    });
  }
  // bottleneck reports its own errors (e.g. a lost Redis connection) as events; keep them from
  // becoming unhandled, the affected jobs reject on their own.
  minute.on('error', () => {});
  hour?.on('error', () => {});

  return {
    gate,
    async schedule(job) {
      // Read once: the job object is reused by the operation's next attempt.
      // (`task` is the same for every attempt: it is called on the job.)
      const { priority, maxWaitMs, route, signal } = job;
      try {
        // bottleneck knows no signal: a job aborted while it waits is skipped when its turn
        // comes (it still takes its budget slot then), and its caller is released at once.
        const queued = minute.schedule({ priority }, async () => {
          if (signal?.aborted) throw signal.reason;
          await passGate(maxWaitMs, route, signal);
          return job.task();
        });
        if (signal === undefined) return await queued;
        queued.catch(() => {}); // when the race below has already rejected with the signal
        return await raceSignal(queued, signal);
      } catch (err) {
        if (err instanceof Bottleneck.BottleneckError && /dropped/i.test(err.message)) {
          throw new QueueFullError('an attempt in the rate limiter', maxQueued, 'rateLimit.maxQueued');
        }
        if (err instanceof Bottleneck.BottleneckError && err.message === STOPPED_MESSAGE) {
          throw new ClientClosedError('send an attempt');
        }
        throw err;
      }
    },
    async ready() {
      await minute.ready();
      if (hour !== null) await hour.ready();
    },
    async close() {
      // Normally every operation has settled by now; after a bounded close (the run's hard
      // stop) attempts may still wait: they are dropped and their callers told the client closed.
      gate.close();
      minute.stop({ dropWaitingJobs: true, dropErrorMessage: STOPPED_MESSAGE }).catch(() => {});
      await minute.disconnect(false);
      if (hour !== null) await hour.disconnect(false);
    },
  };
}
