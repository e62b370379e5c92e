import { afterEach, describe, expect, it } from 'vitest';
import { createNexusClient, isNexusApiError, type NexusClient } from '../../harness/client/index.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY } from './support.js';

/**
 * Batched sends against the mock: under concurrency and latency jitter each thread's
 * messages are stored in the order they were sent, and a send the server refuses fails
 * alone while the rest of its batch (and of its thread) goes through.
 */

const THREADS = 6;
const PER_THREAD = 25;

let mock: RunningMockServer | undefined;
let client: NexusClient | undefined;

afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = undefined;
  mock = undefined;
});

describe('batched sends', () => {
  it('keep per-thread order under concurrency and settle each item on its own', async () => {
    mock = await startMockServer({
      config: { seed: 9, limits: false, assistant: { delay: { type: 'fixed', ms: 60_000 } } },
    });
    client = createNexusClient({
      baseUrl: mock.url,
      apiKey: API_KEY,
      rateLimit: false,
      batching: { maxBatchSize: 8, maxWaitMs: 5 },
      // Longer than the mock accepts (4,000), so the server, not the client, refuses it.
      maxMessageLength: 5_000,
    });
    const threads: string[] = [];
    for (let t = 0; t < THREADS; t++) threads.push((await client.createSession()).id);
    // Jitter reorders requests on the wire unless the batcher keeps each thread in line.
    mock.simulator.setFaults([{ type: 'latency', delay: { type: 'uniform', minMs: 0, maxMs: 15 } }]);
    const sinceSeq = mock.simulator.ledger().lastSeq;

    const tooLong = 'x'.repeat(4_500);
    const sends: { thread: string; content: string; promise: Promise<unknown> }[] = [];
    for (let n = 0; n < PER_THREAD; n++) {
      for (const thread of threads) {
        const content = n === 7 && thread === threads[2] ? tooLong : `${thread.slice(0, 8)} #${n}`;
        sends.push({ thread, content, promise: client.sendMessage(thread, content) });
      }
    }
    const results = await Promise.allSettled(sends.map((s) => s.promise));

    const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [{ i, reason: r.reason }] : []));
    expect(rejected).toHaveLength(1);
    expect(sends[rejected[0]!.i]!.content).toBe(tooLong);
    expect(isNexusApiError(rejected[0]!.reason) && rejected[0]!.reason.status === 400).toBe(true);

    // The order the server stored them in, per thread, is the order they were sent in.
    const ledger = mock.simulator.ledger(sinceSeq);
    const sentOrder = new Map<string, string[]>();
    sends.forEach((s, i) => {
      if (results[i]!.status !== 'fulfilled') return;
      sentOrder.set(s.thread, [...(sentOrder.get(s.thread) ?? []), s.content]);
    });
    for (const thread of threads) {
      const stored = await client.listMessages(thread, { limit: 100, order: 'asc' });
      expect(stored.filter((m) => m.type === 'user').map((m) => m.content)).toEqual(sentOrder.get(thread));
    }
    const storedEffects = ledger.effects.filter((e) => e.kind === 'message_stored');
    expect(storedEffects).toHaveLength(THREADS * PER_THREAD - 1);
  });

  it('coalesce concurrent polls of one thread into one request per poll', async () => {
    mock = await startMockServer({
      config: { seed: 9, limits: false, assistant: { delay: { type: 'fixed', ms: 300 } } },
    });
    client = createNexusClient({
      baseUrl: mock.url,
      apiKey: API_KEY,
      rateLimit: false,
      polling: { initialIntervalMs: 100, maxIntervalMs: 100 },
      random: () => 0.5,
    });
    const { id } = await client.createSession();
    const before = (await client.listMessages(id, { order: 'desc', limit: 1 }))[0]?.id;
    await client.sendMessage(id, 'What is 2+2?');
    const sinceSeq = mock.simulator.ledger().lastSeq;
    const WAITERS = 10;
    const replies = await Promise.all(
      Array.from({ length: WAITERS }, () => client!.waitForReply(id, { after: before, timeoutMs: 5_000 })),
    );
    const polls = mock.simulator.ledger(sinceSeq).requests.filter((r) => r.route === 'listMessages');
    console.info(`[coalescing] ${WAITERS} concurrent waitForReply calls made ${polls.length} list requests`);
    expect(new Set(replies.map((r) => r.id)).size).toBe(1);
    expect(replies[0]!.content).toContain('4');
    // All ten waiters poll in lock-step with the same cursor: one request per poll round.
    expect(polls.length).toBeLessThan(WAITERS);
  });
});
