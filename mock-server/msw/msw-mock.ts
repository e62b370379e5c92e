import type { RequestHandler } from 'msw';
import { BASE_PATH } from '../core/router.js';
import type { SeedThreadInput } from '../core/seed-thread.js';
import { createSimulator, type Simulator } from '../core/simulator.js';
import type { Clock, LedgerSnapshot, ThreadView } from '../core/types.js';
import { createMswHandlers, DEFAULT_MSW_BASE_URL } from './handlers.js';

/**
 * Options of {@link createMswMock}.
 *
 * @example
 * const options: MswMockOptions = { baseUrl: 'http://nexus.test', clock: manualClock(Date.parse('2026-01-01T00:00:00Z')) };
 */
export interface MswMockOptions {
  /** Fake origin the handlers answer on. Default `http://nexus.mock.local`. */
  baseUrl?: string;
  /** Clock for the simulator (inject a `manualClock` in tests). Default: the real clock. */
  clock?: Clock;
}

/**
 * The admin operations of the mock, called in-process: the same operations as the admin API
 * (`/__admin/…`), which the handlers also serve. Invalid input throws a `ConfigError` listing
 * every problem (where the admin API would answer 400).
 *
 * @example
 * mock.admin.setLimits({ perMinute: { limit: 3, windowMs: 10_000 } });
 * mock.admin.seedThread({ id: 'closed-1', status: 'CLOSED' });
 * mock.admin.advanceTime(24 * 3_600_000); // threads idle for a day are now EXPIRED
 */
export interface MswMockAdmin {
  /** Clears all state and re-seeds; with `config`, replaces the configuration. */
  reset(config?: unknown): void;
  /** Replaces the fault rules. */
  setFaults(rules: unknown): void;
  /** Replaces the limits, or turns them off with `false`. */
  setLimits(limits: unknown): void;
  /** Moves the simulator's time forward by `ms` milliseconds (an integer, at most ten years; see `Simulator.advanceTime`). */
  advanceTime(ms: number): void;
  /** Creates a thread in any state with any messages (provider states). */
  seedThread(input: SeedThreadInput): ThreadView;
  /** Reads the ledger after `sinceSeq` (default: all of it). */
  ledger(sinceSeq?: number): LedgerSnapshot;
}

/**
 * An in-process mock: a simulator, its MSW handlers, and a handle to its admin operations.
 *
 * @example
 * const { handlers, url, admin } = createMswMock({ seed: 7 });
 * server.use(...handlers);
 * await fetch(`${url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * admin.ledger().effects.length; // 1
 */
export interface MswMock {
  simulator: Simulator;
  /** Pass to `setupServer(...handlers)` or `server.use(...handlers)`. */
  handlers: RequestHandler[];
  /** Base URL of the public API, e.g. `http://nexus.mock.local/api/public`. */
  url: string;
  admin: MswMockAdmin;
}

/**
 * Creates a simulator from `config` (validated; throws a `ConfigError` listing every problem)
 * and the MSW handlers that serve it, with an in-process handle to the admin operations and
 * the ledger.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const mock = createMswMock({ seed: 7, limits: false }, { clock: manualClock() });
 * const server = setupServer(...mock.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * await fetch(`${mock.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
 * mock.admin.ledger().effects; // [{ kind: 'thread_created', ... }]
 * server.close();
 */
export function createMswMock(config: unknown = {}, options: MswMockOptions = {}): MswMock {
  const baseUrl = (options.baseUrl ?? DEFAULT_MSW_BASE_URL).replace(/\/+$/, '');
  const simulator = createSimulator(config, { clock: options.clock });
  return {
    simulator,
    handlers: createMswHandlers(simulator, { baseUrl }),
    url: `${baseUrl}${BASE_PATH}`,
    admin: {
      reset: (next) => simulator.reset(next),
      setFaults: (rules) => simulator.setFaults(rules),
      setLimits: (limits) => simulator.setLimits(limits),
      advanceTime: (ms) => simulator.advanceTime(ms),
      seedThread: (input) => simulator.seedThread(input),
      ledger: (sinceSeq) => simulator.ledger(sinceSeq),
    },
  };
}
