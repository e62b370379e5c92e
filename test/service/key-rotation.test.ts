import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createNexusClient } from '../../harness/client/index.js';
import { createKeyRotation, type KeyRotation } from '../../harness/service/keys/key-rotation.js';
import { createServiceLogger } from '../../harness/service/logging/logger.js';
import { fingerprintKey } from '../../mock-server/core/keys.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';

/**
 * Key rotation against the real mock over loopback, under a steady stream of calls: the mock
 * accepts two keys (`apiKeys`), the stream runs on `current()`, and the ledger (which keeps each
 * request's key fingerprint, never the key) shows which key each request carried.
 */

const OLD_KEY = 'nx-rotation-old-5d1f0a';
const NEW_KEY = 'nx-rotation-new-8e2b7c';
const UNKNOWN_KEY = 'nx-rotation-unknown-3a9d';
const GRACE_MS = 250;
const WORKERS = 4;

let mock: RunningMockServer | undefined;
let keys: KeyRotation | undefined;

afterEach(async () => {
  await keys?.close();
  await mock?.close();
  keys = undefined;
  mock = undefined;
});

/** Resolves when `condition()` holds, checking every 10 ms; rejects after `boundMs`. */
async function until(condition: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > boundMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function start() {
  mock = await startMockServer({
    config: {
      seed: 5,
      limits: false,
      apiKeys: [OLD_KEY, NEW_KEY],
      // Every call spends a while on the wire, so a rotation always finds calls in flight.
      faults: [
        { type: 'latency', route: 'createThread', delay: { type: 'fixed', ms: 20 } },
        // A read that outlasts the grace period: the old client must let it finish.
        { type: 'latency', route: 'listMessages', delay: { type: 'fixed', ms: 2 * GRACE_MS } },
      ],
    },
  });
  let logText = '';
  const logger = createServiceLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    }),
    secrets: () => [OLD_KEY, NEW_KEY, UNKNOWN_KEY],
  });
  const url = mock.url;
  keys = createKeyRotation({
    apiKey: OLD_KEY,
    makeClient: (apiKey) => createNexusClient({ baseUrl: url, apiKey, rateLimit: false }),
    graceMs: GRACE_MS,
    logger,
  });
  const source = keys;
  const outcome = { ok: 0, failed: [] as unknown[] };
  let stop = false;
  const workers = Array.from({ length: WORKERS }, async () => {
    while (!stop) {
      try {
        await source.current().createSession();
        outcome.ok += 1;
      } catch (err) {
        outcome.failed.push(err);
      }
    }
  });
  return {
    mock,
    keys,
    outcome,
    log: () => logText,
    async stop() {
      stop = true;
      await Promise.all(workers);
    },
  };
}

describe('key rotation against the mock, under load', () => {
  it('no call fails; the old key is not seen once its grace period is over', async () => {
    const run = await start();
    await until(() => run.outcome.ok >= 20, '20 calls on the old key');
    const oldClient = run.keys.current();
    const thread = await oldClient.createSession();
    const slowRead = oldClient.listMessages(thread.id); // on the wire through the whole grace period
    const rotatedAt = run.mock.simulator.ledger().lastSeq;
    expect(await run.keys.rotate(NEW_KEY)).toMatchObject({ ok: true });
    await until(() => run.keys.fingerprints().retiring.length === 0, 'the old client to retire');
    const retiredAt = run.mock.simulator.ledger().lastSeq;
    const okAtRetirement = run.outcome.ok;
    await until(() => run.outcome.ok >= okAtRetirement + 20, '20 calls after the retirement');
    await run.stop();
    await expect(slowRead).resolves.toEqual([]);

    const requests = run.mock.simulator.ledger().requests;
    const oldId = fingerprintKey(OLD_KEY);
    const newId = fingerprintKey(NEW_KEY);
    const creates = requests.filter((r) => r.route === 'createThread');
    const summary = {
      calls: run.outcome.ok,
      failed: run.outcome.failed.length,
      oldBefore: creates.filter((r) => r.keyId === oldId && r.seq <= rotatedAt).length,
      oldDuringGrace: creates.filter((r) => r.keyId === oldId && r.seq > rotatedAt).length,
      oldAfterRetired: creates.filter((r) => r.keyId === oldId && r.seq > retiredAt).length,
      newAfterRetired: creates.filter((r) => r.keyId === newId && r.seq > retiredAt).length,
    };
    console.info(`[key rotation] ${JSON.stringify(summary)}`);
    expect(run.outcome.failed).toEqual([]);
    expect(creates.every((r) => r.status === 200)).toBe(true);
    expect(summary.oldBefore).toBeGreaterThanOrEqual(20);
    expect(summary.oldAfterRetired).toBe(0);
    const reads = requests.filter((r) => r.route === 'listMessages');
    expect(reads.map((r) => [r.keyId, r.status])).toEqual([[oldId, 200]]);
    expect(reads[0]!.seq).toBeLessThanOrEqual(retiredAt); // the old client closed only after it
    expect(summary.newAfterRetired).toBeGreaterThanOrEqual(20);
    // The probe: one GET of an unknown thread with the new key, answered 404, before any call used it.
    const probes = requests.filter((r) => r.route === 'getThread');
    expect(probes.map((r) => [r.keyId, r.status])).toEqual([[newId, 404]]);
    const firstNew = creates.find((r) => r.keyId === newId)!;
    expect(firstNew.seq).toBeGreaterThan(probes[0]!.seq);
    expect(run.log()).toContain('Rotated the API key');
    for (const key of [OLD_KEY, NEW_KEY]) expect(run.log()).not.toContain(key);
  });

  it('a key the API refuses: the old key stays, no call fails, the reason is logged without the key', async () => {
    const run = await start();
    await until(() => run.outcome.ok >= 10, '10 calls');
    const result = await run.keys.rotate(UNKNOWN_KEY);
    const okAfterFailure = run.outcome.ok;
    await until(() => run.outcome.ok >= okAfterFailure + 10, '10 calls after the failed rotation');
    await run.stop();

    expect(result).toEqual({ ok: false, reason: 'the API refused the key (401)' });
    expect(run.outcome.failed).toEqual([]);
    expect(run.keys.fingerprints()).toEqual({ active: expect.any(String), retiring: [] });
    const requests = run.mock.simulator.ledger().requests;
    const creates = requests.filter((r) => r.route === 'createThread');
    expect(creates.every((r) => r.keyId === fingerprintKey(OLD_KEY) && r.status === 200)).toBe(true);
    // The mock cannot name a key it does not know: the refused probe has no key id, and a 401.
    expect(requests.filter((r) => r.route === 'getThread').map((r) => r.status)).toEqual([401]);
    expect(run.log()).toContain('API key rotation failed');
    expect(run.log()).toContain('the API refused the key (401)');
    expect(run.log()).not.toContain(UNKNOWN_KEY);
  });
});
