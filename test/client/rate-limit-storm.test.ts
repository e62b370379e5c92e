import { afterEach, describe, expect, it } from 'vitest';
import {
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  timersFromClock,
} from '../../harness/client/index.js';
import { createVirtualClock } from '../../harness/engine/clock-virtual.js';
import { fingerprintKey } from '../../mock-server/core/keys.js';
import { createSimulator, type Simulator } from '../../mock-server/core/simulator.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { simulatorTransport } from './simulator-transport.js';
import { API_KEY, admittedPerWindow, effectsPerOp, findEarlyRequests, recordAttempts } from './support.js';

/**
 * The guide's rate-limit test, scaled: 70 concurrent sends against a limit per window. The
 * client starts knowing nothing of the limit (no own budgets), so the first burst meets a
 * storm of 429s; from then on it must wait for each reset the server told it of, retry
 * through the limiter, and complete every operation exactly once. Run once with the mock's
 * `Retry-After` on and once with only `X-RateLimit-*` (as the real API documents).
 *
 * Those two run on a virtual clock (the client's timers and the simulator's clock are one),
 * over a transport that hands requests to the simulator in process: seven 2 s windows pass in
 * no wall time, and every figure asserted is on that one timeline. The third case puts the
 * client's own budget (bottleneck) in front; bottleneck has no clock option, so it runs in real
 * time over HTTP, against 1 s windows.
 */

const SENDS = 70;

const mockConfig = (retryAfterHeader: boolean, limit: number, windowMs: number) => ({
  seed: 3,
  retryAfterHeader,
  limits: {
    perMinute: { limit, windowMs },
    perHour: { limit: 100_000, windowMs: 3_600_000 },
  },
  assistant: { delay: { type: 'fixed', ms: 60_000 } },
});

let mock: RunningMockServer | undefined;
let client: NexusClient | undefined;

afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = undefined;
  mock = undefined;
});

/** Sends {@link SENDS} messages at once on a fresh session; returns what the ledger and the hooks saw. */
async function storm(
  sim: Simulator,
  options: Omit<NexusClientOptions, 'apiKey' | 'hooks'>,
  label: string,
  windowMs: number,
) {
  const setup = createNexusClient({ ...options, apiKey: API_KEY, rateLimit: false });
  const { id } = await setup.createSession();
  await setup.close();
  const sinceSeq = sim.ledger().lastSeq;

  const { hooks, attempts } = recordAttempts();
  client = createNexusClient({
    ...options,
    apiKey: API_KEY,
    retry: { maxRateLimitWaitMs: 30_000 },
    hooks,
  });
  const results = await Promise.allSettled(
    Array.from({ length: SENDS }, (_, i) => client!.sendMessage(id, `message ${i}`, { opId: `storm-${i}` })),
  );

  const ledger = sim.ledger(sinceSeq);
  const limited = ledger.requests.filter((r) => r.status === 429);
  const early = findEarlyRequests(ledger, attempts);
  const effects = effectsPerOp(ledger);
  const duplicates = [...effects.values()].filter((n) => n > 1).length;
  const admitted = admittedPerWindow(ledger, windowMs);
  console.info(
    `[429 storm, ${label}] ${SENDS} sends: ` +
      `${results.filter((r) => r.status === 'fulfilled').length} ok, ${ledger.requests.length} requests, ` +
      `${limited.length} × 429, early requests ${early.length}, duplicates ${duplicates}, ` +
      `admitted per window ${admitted.join(',')}`,
  );
  return { results, ledger, limited, early, effects, duplicates, admitted };
}

type Outcome = Awaited<ReturnType<typeof storm>>;

function expectEveryOpDoneOnceNoneEarly(outcome: Outcome, limit: number) {
  expect(outcome.results.filter((r) => r.status === 'rejected')).toEqual([]);
  expect(outcome.ledger.requests.every((r) => r.keyId === fingerprintKey(API_KEY))).toBe(true);
  expect(outcome.early).toEqual([]);
  expect(outcome.effects.size).toBe(SENDS);
  expect(outcome.duplicates).toBe(0);
  expect(Math.max(...outcome.admitted)).toBeLessThanOrEqual(limit);
}

describe.each([
  ['Retry-After and X-RateLimit-*, no own budget', true],
  ['X-RateLimit-* only, no own budget', false],
])('429 storm on a virtual clock, %s', (label, retryAfterHeader) => {
  const WINDOW_MS = 2_000;
  const LIMIT = 10;

  it(`completes all ${SENDS} sends, none before a told reset, none twice`, async () => {
    const T0 = Date.UTC(2030, 0, 1);
    const clock = createVirtualClock(T0);
    const sim = createSimulator(mockConfig(retryAfterHeader, LIMIT, WINDOW_MS), { clock });
    const outcome = await storm(
      sim,
      {
        // 5 ms each way: the burst is on the wire before the first answer is back, as over a network.
        transport: simulatorTransport(sim, clock, { latencyMs: 5 }),
        rateLimit: false,
        timers: timersFromClock(clock),
      },
      label,
      WINDOW_MS,
    );
    expect(outcome.limited.length).toBeGreaterThan(0); // it was a storm
    expectEveryOpDoneOnceNoneEarly(outcome, LIMIT);
    // The session's creation and 70 sends at 10 per window: the last ones go in the 8th window,
    // 7 windows after the first; the client waited them out, in virtual time.
    expect(outcome.admitted.reduce((a, b) => a + b, 0)).toBe(SENDS);
    expect(clock.now() - T0).toBeGreaterThanOrEqual(7 * WINDOW_MS);
  });
});

describe('429 storm over HTTP, Retry-After, own budget (bottleneck) in front', () => {
  const WINDOW_MS = 1_000;
  const LIMIT = 20;

  it(`completes all ${SENDS} sends, none before a told reset, none twice`, async () => {
    mock = await startMockServer({ config: mockConfig(true, LIMIT, WINDOW_MS) });
    const outcome = await storm(
      mock.simulator,
      {
        baseUrl: mock.url,
        // bottleneck's windows are not aligned with the server's: 429s still happen.
        rateLimit: { maxConcurrent: 20, perMinute: { limit: LIMIT, windowMs: WINDOW_MS }, perHour: false },
      },
      'Retry-After, own budget (bottleneck) in front',
      WINDOW_MS,
    );
    expectEveryOpDoneOnceNoneEarly(outcome, LIMIT);
  });
});
