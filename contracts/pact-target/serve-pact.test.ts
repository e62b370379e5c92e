import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNexusClient } from '../../harness/client/client.js';
import { PLACEHOLDER_API_KEY } from '../nexus-api.js';
import { selectServable, servePact } from './serve-pact.js';

const pactFile = new URL('../pacts/nexus-harness-client-nexus-api.json', import.meta.url);

describe('selectServable', () => {
  it('serves the first 2xx interaction of each request shape and skips every error outcome', () => {
    const pact = JSON.parse(readFileSync(pactFile, 'utf8'));
    const { served, skipped } = selectServable(pact.interactions);
    expect(served.every((i) => i.response.status < 300)).toBe(true);
    expect(served.map((i) => i.description)).toContain('a request to get an ACTIVE thread');
    expect(skipped.map((i) => i.description)).toEqual(
      expect.arrayContaining(['a request to get an EXPIRED thread', 'a request with an invalid API key']),
    );
    expect(served.length + skipped.length).toBe(pact.interactions.length);
  });
});

describe('servePact', () => {
  it('answers the client with the pact examples and lists requests outside the contract', async () => {
    const pact = await servePact(new URL(pactFile).pathname);
    const client = createNexusClient({
      baseUrl: pact.url,
      apiKey: PLACEHOLDER_API_KEY,
      rateLimit: false,
      retry: { maxAttempts: 1 },
    });
    try {
      const { id } = await client.createSession();
      expect((await client.getSession(id)).status).toBe('ACTIVE');
      expect((await client.waitForReply(id, { timeoutMs: 5_000 })).type).toBe('assistant');
      // Both cursors at once: a query no interaction of the contract declares.
      await expect(
        client.listMessages(id, { limit: 5, order: 'asc', before: 'x', after: 'y' }),
      ).rejects.toThrow();
    } finally {
      await client.close();
    }
    expect(await pact.close()).toEqual([
      expect.stringMatching(/^GET \/api\/public\/thread\/[^ ]+\/messages/),
    ]);
  });
});
