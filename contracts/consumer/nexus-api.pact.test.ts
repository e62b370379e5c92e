import '../../harness/util/no-pact-telemetry.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_API_KEY, PACT_FILE_NAME, PLACEHOLDER_API_KEY } from '../nexus-api.js';
import { CONSUMER_CASES } from './interactions.js';
import { clearPacts, createContractPact, runConsumerCase } from './run-consumer.js';

interface PactFile {
  interactions: {
    description: string;
    request: { method: string; path: string; headers?: Record<string, string[]> };
    response: { status: number; headers?: Record<string, string[]> };
  }[];
}

const committedPact = fileURLToPath(new URL(`../pacts/${PACT_FILE_NAME}`, import.meta.url));

/** Interactions without the metadata that changes with library versions, in a stable order. */
function interactionsOf(pact: PactFile) {
  return [...pact.interactions].sort((a, b) => a.description.localeCompare(b.description));
}

// The cases write into a fresh folder (a clean start), one after the other: the vitest project
// "contracts" runs this file alone, and the tests of one file run in order.
describe('Nexus API consumer contract (the real client through Pact)', () => {
  let dir: string;
  let pact: PactV4;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nexus-harness-pacts-'));
    await clearPacts(dir);
    pact = createContractPact(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of CONSUMER_CASES) {
    it(c.description, () => runConsumerCase(pact, c));
  }

  it('wrote every interaction, and the committed pact (contracts/pacts) is up to date', async () => {
    const written = JSON.parse(await readFile(join(dir, PACT_FILE_NAME), 'utf8')) as PactFile;
    expect(written.interactions.map((i) => i.description).sort()).toEqual(
      CONSUMER_CASES.map((c) => c.description).sort(),
    );
    const committed = JSON.parse(await readFile(committedPact, 'utf8')) as PactFile;
    expect(
      interactionsOf(committed),
      "contracts/pacts is stale: run 'npm run cli -- contracts test' and commit the pact",
    ).toEqual(interactionsOf(written));
  });

  it('covers every endpoint and outcome of nexus-api.md', async () => {
    const pactFile = JSON.parse(await readFile(committedPact, 'utf8')) as PactFile;
    const outcomes = new Set(
      pactFile.interactions.map((i) => {
        const route = i.request.path.replace(/\/thread\/[^/]+/, '/thread/{id}').replace(/^\/api\/public/, '');
        return `${i.request.method} ${route} ${i.response.status}`;
      }),
    );
    for (const expected of [
      'POST /thread 200',
      'GET /thread/{id} 200',
      'POST /thread/{id}/messages 200',
      'POST /thread/{id}/messages 400',
      'POST /thread/{id}/messages 404',
      'POST /thread/{id}/messages 409',
      'GET /thread/{id}/messages 200',
      'POST /thread 401',
      'POST /thread 429',
      'GET /thread/{id} 429',
    ]) {
      expect(outcomes, expected).toContain(expected);
    }
    const limited = pactFile.interactions.filter((i) => i.response.status === 429);
    for (const i of limited) {
      const names = Object.keys(i.response.headers ?? {}).map((h) => h.toLowerCase());
      expect(names).toEqual(
        expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']),
      );
    }
    expect(
      limited.some((i) => Object.keys(i.response.headers ?? {}).some((h) => /retry-after/i.test(h))),
    ).toBe(true);
  });

  it('records only the placeholder key (and the deliberately invalid one), never a real key', async () => {
    const text = await readFile(committedPact, 'utf8');
    const pactFile = JSON.parse(text) as PactFile;
    const keys = new Set(pactFile.interactions.flatMap((i) => i.request.headers?.['api-key'] ?? []));
    expect([...keys].sort()).toEqual([INVALID_API_KEY, PLACEHOLDER_API_KEY].sort());
    expect(text).not.toContain('nexus-mock-key');
  });
});
