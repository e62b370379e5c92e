import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNexusClient, type NexusClient } from '../../harness/client/index.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, effectsPerOp, eventually, openTcpHandles } from './support.js';

/**
 * 2,000 mixed operations through 5 % connection resets, 5 % 503s and latency spikes: at
 * least 99.9 % succeed, nothing is stored twice, no promise rejection goes unhandled, and
 * after `close()` every socket is gone.
 */

const OPS = 2_000;
const CONCURRENCY = 32;

let mock: RunningMockServer | undefined;
let client: NexusClient | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await client?.close();
  await mock?.close();
  client = undefined;
  mock = undefined;
});

describe.each(['undici', 'fetch'] as const)(
  'chaos: resets, 503s and latency spikes (%s transport)',
  (transport) => {
    it(`≥ 99.9 % of ${OPS} operations succeed, no duplicates, no unhandled rejection, sockets closed`, async () => {
      mock = await startMockServer({
        config: { seed: 5, limits: false, assistant: { delay: { type: 'fixed', ms: 50 } } },
      });
      const tcpBefore = openTcpHandles();
      const failedAttempts: string[] = [];
      let retries = 0;
      client = createNexusClient({
        baseUrl: mock.url,
        apiKey: API_KEY,
        transport,
        rateLimit: false,
        idempotencyKeys: true,
        pool: { connections: 16 },
        timeouts: { attemptTimeoutMs: 5_000 },
        retry: { maxAttempts: 5, backoff: { baseMs: 10, capMs: 200 } },
        hooks: {
          onOperationEnd: (e) => {
            if (!e.ok) failedAttempts.push(`${e.op.name}: ${e.attempts} attempts, ${e.errorCode}`);
          },
          onRetryScheduled: () => {
            retries++;
          },
        },
      });
      const threads: string[] = [];
      for (let t = 0; t < 8; t++) threads.push((await client.createSession()).id);
      mock.simulator.setFaults([
        { type: 'latency', probability: 0.05, delay: { type: 'lognormal', medianMs: 40, sigma: 1 } },
        { type: 'reset', probability: 0.05 },
        { type: 'error', status: 503, probability: 0.05 },
      ]);
      const sinceSeq = mock.simulator.ledger().lastSeq;
      const tcpDuring = openTcpHandles(); // keep-alive sockets of both sides are open now

      let next = 0;
      let ok = 0;
      const failures: unknown[] = [];
      const worker = async () => {
        while (next < OPS) {
          const i = next++;
          const thread = threads[i % threads.length]!;
          const opId = `chaos-${i}`;
          try {
            if (i % 3 === 0) await client!.sendMessage(thread, `message ${i}`, { opId });
            else if (i % 3 === 1) await client!.getSession(thread, { opId });
            else await client!.listMessages(thread, { limit: 5, order: 'desc' }, { opId });
            ok++;
          } catch (err) {
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      const ledger = mock.simulator.ledger(sinceSeq);
      const faults = ledger.requests.filter((r) => r.fault !== null);
      const duplicates = [...effectsPerOp(ledger).values()].filter((n) => n > 1).length;
      await client.close();
      const stats = client.transportStats();
      const socketsGone = await eventually(() => openTcpHandles() <= tcpBefore);
      console.info(
        `[chaos, ${transport}] ${OPS} ops: ${ok} ok (${((ok / OPS) * 100).toFixed(2)} %), ${ledger.requests.length} requests ` +
          `(${(ledger.requests.length / OPS).toFixed(3)} per op), ${faults.length} injected faults, ` +
          `${duplicates} duplicates, ${unhandled.length} unhandled rejections, ` +
          `client sockets after close ${stats.connected}, TCP handles ${tcpBefore} before / ${tcpDuring} during / ${openTcpHandles()} after`,
      );
      if (failures.length > 0) {
        console.info(
          `[chaos, ${transport}] ${retries} retries; failed operations:`,
          failedAttempts.slice(0, 5),
        );
      }

      expect(ok / OPS).toBeGreaterThanOrEqual(0.999);
      expect(faults.length).toBeGreaterThan(OPS * 0.05);
      expect(duplicates).toBe(0);
      expect(unhandled).toEqual([]);
      expect(tcpDuring).toBeGreaterThan(tcpBefore);
      expect(stats.connected).toBe(0);
      expect(socketsGone).toBe(true);
    });
  },
);
