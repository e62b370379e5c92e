import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNexusClient, type NexusClient } from '../../harness/client/index.js';
import { createMswMock } from '../../mock-server/msw/index.js';
import { API_KEY, effectsPerOp, findEarlyRequests, recordAttempts } from './support.js';

/**
 * The client, unchanged (default `auto` transport), against the mock's MSW face: MSW is
 * installed after the client module loaded, so every request takes the fetch path and MSW
 * answers it from the same simulator core the HTTP face uses.
 */

const mock = createMswMock({
  seed: 4,
  limits: false,
  assistant: { delay: { type: 'fixed', ms: 50 } },
});
const server = setupServer(...mock.handlers);
let client: NexusClient | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await client?.close();
  client = undefined;
  mock.admin.reset({ seed: 4, limits: false, assistant: { delay: { type: 'fixed', ms: 50 } } });
});
afterAll(() => server.close());

describe('the client against the mock’s MSW face', () => {
  it('holds a conversation: create, send, wait for the reply', async () => {
    client = createNexusClient({ baseUrl: mock.url, apiKey: API_KEY, rateLimit: false });
    const { id } = await client.createSession();
    await client.sendMessage(id, 'What is 2+2?', { opId: 'ask' });
    const reply = await client.waitForReply(id, { timeoutMs: 5_000 });
    expect(reply.type).toBe('assistant');
    expect(reply.content).toContain('4');
    const ledger = mock.admin.ledger();
    expect(ledger.requests.find((r) => r.opId === 'ask')?.route).toBe('sendMessage');
  });

  it('waits out 429s and completes every send exactly once', async () => {
    const { hooks, attempts } = recordAttempts();
    client = createNexusClient({ baseUrl: mock.url, apiKey: API_KEY, rateLimit: false, hooks });
    const { id } = await client.createSession();
    mock.admin.setLimits({ perMinute: { limit: 5, windowMs: 1_000 } });
    const sinceSeq = mock.admin.ledger().lastSeq;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => client!.sendMessage(id, `m${i}`, { opId: `msw-${i}` })),
    );
    const ledger = mock.admin.ledger(sinceSeq);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(ledger.requests.some((r) => r.status === 429)).toBe(true);
    expect(findEarlyRequests(ledger, attempts)).toEqual([]);
    expect([...effectsPerOp(ledger).values()]).toEqual(Array(12).fill(1));
  });
});
