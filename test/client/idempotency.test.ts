import { afterEach, describe, expect, it } from 'vitest';
import { createNexusClient, isNetworkError, type NexusClient } from '../../harness/client/index.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, effectsPerOp } from './support.js';

/**
 * Connection resets injected *after* the mock applied a send: the client cannot tell whether
 * its POST took effect. With idempotency keys it retries under the same key and the mock
 * replays the first outcome: every message stored exactly once. Without keys the client
 * must not retry (a retry would store the message twice); those sends fail with
 * `NetworkError` (`requestSent: 'maybe'`) although the ledger shows them stored: the
 * caller sees a failure for a message that did arrive. That is the documented price of
 * running without keys, and this test pins it down instead of hiding it.
 */

const SENDS = 200;
const THREADS = 4;
const RESET_PROBABILITY = 0.2;

let mock: RunningMockServer | undefined;
let client: NexusClient | undefined;

afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = undefined;
  mock = undefined;
});

async function run(idempotencyKeys: boolean) {
  mock = await startMockServer({
    config: { seed: 11, limits: false, assistant: { delay: { type: 'fixed', ms: 60_000 } } },
  });
  client = createNexusClient({
    baseUrl: mock.url,
    apiKey: API_KEY,
    rateLimit: false,
    idempotencyKeys,
    retry: { maxAttempts: 8, budget: false, backoff: { baseMs: 5, capMs: 50 } },
  });
  const threads: string[] = [];
  for (let t = 0; t < THREADS; t++) threads.push((await client.createSession()).id);
  mock.simulator.setFaults([
    { type: 'reset', route: 'sendMessage', afterEffect: true, probability: RESET_PROBABILITY },
  ]);
  const sinceSeq = mock.simulator.ledger().lastSeq;
  const results = await Promise.allSettled(
    Array.from({ length: SENDS }, (_, i) =>
      client!.sendMessage(threads[i % THREADS]!, `message ${i}`, { opId: `send-${i}` }),
    ),
  );
  const ledger = mock.simulator.ledger(sinceSeq);
  const effects = effectsPerOp(ledger);
  const failedOps = results.flatMap((r, i) => (r.status === 'rejected' ? [`send-${i}`] : []));
  return {
    results,
    ledger,
    effects,
    failedOps,
    duplicates: [...effects.values()].filter((n) => n > 1).length,
    resets: ledger.requests.filter((r) => r.fault === 'reset').length,
    replayed: ledger.requests.filter((r) => r.replayed).length,
  };
}

describe('resets after the server applied a send', () => {
  it('with idempotency keys: every send succeeds and is stored exactly once', async () => {
    const { failedOps, effects, duplicates, resets, replayed } = await run(true);
    console.info(
      `[resets after effect, keys on] ${SENDS} sends: ${SENDS - failedOps.length} ok, ${resets} resets, ` +
        `${replayed} replayed from the idempotency store, ${duplicates} duplicates`,
    );
    expect(resets).toBeGreaterThan(0);
    expect(failedOps).toEqual([]);
    expect(effects.size).toBe(SENDS);
    expect(duplicates).toBe(0);
    expect(replayed).toBeGreaterThan(0);
  });

  it('without idempotency keys: no duplicates, but reset sends fail although the server stored them', async () => {
    const { results, failedOps, effects, duplicates, resets } = await run(false);
    const storedButFailed = failedOps.filter((op) => effects.get(op) === 1).length;
    console.info(
      `[resets after effect, keys off] ${SENDS} sends: ${SENDS - failedOps.length} ok, ${failedOps.length} failed ` +
        `(NetworkError, requestSent 'maybe', not retried), ${storedButFailed} of them stored anyway, ` +
        `${duplicates} duplicates`,
    );
    expect(resets).toBeGreaterThan(0);
    // Every reset is one failed operation: the client did not retry an ambiguous POST...
    expect(failedOps.length).toBe(resets);
    for (const r of results) {
      if (r.status === 'rejected')
        expect(isNetworkError(r.reason) && r.reason.requestSent === 'maybe').toBe(true);
    }
    // ...so nothing was stored twice, but each of those "failed" messages did arrive.
    expect(duplicates).toBe(0);
    expect(storedButFailed).toBe(failedOps.length);
    expect(effects.size).toBe(SENDS);
  });
});
