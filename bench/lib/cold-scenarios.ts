/**
 * The scenario documents the cold benches hand to the CLI (written as JSON): per-VU sessions,
 * the client's own concurrency cap lifted to 256 so it does not shape the load, the mock's
 * limits off.
 */

/** The op mix, e.g. `{ getSession: 1 }`. */
export type OpMix = Readonly<Record<string, number>>;

/**
 * An open-model scenario: `constant-arrival-rate` at `ratePerSec` for `durationMs`, 50
 * pre-allocated VUs, at most 400, a 5 s graceful stop, a 32-connection pool.
 *
 * @example
 * const scenario = openScenario('open-cold-1000', 1_000, 10_000, { getSession: 1 });
 */
export function openScenario(name: string, ratePerSec: number, durationMs: number, mix: OpMix) {
  return {
    name,
    executors: {
      main: {
        executor: 'constant-arrival-rate',
        rate: ratePerSec,
        duration: durationMs,
        preAllocatedVUs: 50,
        maxVUs: 400,
        gracefulStop: '5s',
      },
    },
    workload: { mix, sessions: 'per-vu' },
    client: { rateLimit: { maxConcurrent: 256 }, pool: { connections: 32 } },
    mock: { limits: false },
  };
}

/**
 * A closed-model scenario: `constant-vus` with `vus` VUs for `durationMs` (5 s graceful stop),
 * a pool of one connection per VU.
 *
 * @example
 * const scenario = closedScenario('closed-cpu', 50, 10_000, { getSession: 1 });
 */
export function closedScenario(name: string, vus: number, durationMs: number, mix: OpMix) {
  return {
    name,
    executors: { main: { executor: 'constant-vus', vus, duration: durationMs, gracefulStop: '5s' } },
    workload: { mix, sessions: 'per-vu' },
    client: { rateLimit: { maxConcurrent: 256 }, pool: { connections: vus } },
    mock: { limits: false },
  };
}
