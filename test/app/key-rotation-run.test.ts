import { afterEach, describe, expect, it } from 'vitest';
import { type RunningChatApp, startChatApp } from '../../harness/app/index.js';
import type { CounterEntry, RunResult } from '../../harness/engine/result/types.js';
import { runScenario } from '../../harness/engine/run/run-scenario.js';
import type { TargetDescription } from '../../harness/engine/run/target.js';
import { appTarget } from '../../harness/targets/app.js';
import { fingerprintKey } from '../../mock-server/core/keys.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { defineScenario } from '../../scenarios/model/define-scenario.js';

const OLD_KEY = 'rotation-test-old-key';
const NEW_KEY = 'rotation-test-new-key';
const ADMIN_TOKEN = 'rotation-test-admin-token';
/** How long the app may still use the old key for calls already under way, ms. */
const GRACE_MS = 1_000;
/**
 * A request the app started on the old key just before the grace ended reaches the mock a
 * moment later (the mock stamps arrival): on a loaded 2-core machine, well under this, ms.
 */
const IN_TRANSIT_MS = 250;
/** When the rotation is asked for, ms after the run starts: mid-load. */
const ROTATE_AFTER_MS = 2_000;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const scenario = defineScenario({
  name: 'chat-key-rotation',
  executors: {
    main: {
      executor: 'constant-arrival-rate',
      rate: 12,
      duration: '5s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      gracefulStop: '10s',
    },
  },
  workload: { mix: { chat: 1 }, chat: { users: 24 } },
  thresholds: { op_failed: ['rate==0'], app_5xx: ['rate==0'] },
});

function counted(result: RunResult, metric: string, tags: Record<string, string>): number {
  const values = (result.metrics[metric]?.values ?? []) as CounterEntry[];
  return values
    .filter((v) => Object.entries(tags).every(([k, want]) => v.tags[k] === want))
    .reduce((sum, v) => sum + v.stats.count, 0);
}

/**
 * Issue 12's acceptance line: the chat app's API key rotated (POST /admin/rotate-key) in the
 * middle of a chat-app run fails no request, and after the grace period the mock's ledger shows
 * no request with the old key's fingerprint (requests already under way allowed for). The test
 * starts the mock (two accepted keys) and the app itself and hands the app to the run
 * (`--app-url`), so the ledger is whole afterwards (a run that audits compacts it as it reads).
 */
describe('key rotation under load', () => {
  it('fails no chat, and the old key is not used after the grace period', async () => {
    const mock: RunningMockServer = await startMockServer({
      config: {
        seed: 5,
        limits: false,
        apiKeys: [OLD_KEY, NEW_KEY],
        assistant: { delay: { type: 'uniform', minMs: 50, maxMs: 150 } },
      },
      shutdownGraceMs: 0,
    });
    closers.push(() => mock.close());
    const app: RunningChatApp = await startChatApp({
      nexusUrl: mock.url,
      apiKey: OLD_KEY,
      keyGraceMs: GRACE_MS,
      adminToken: ADMIN_TOKEN,
      logger: false,
      limits: { messagesPerMinute: 6_000, messagesPerHour: 100_000, sessionsPerDay: 1_000 },
      clientOptions: { rateLimit: false },
    });
    closers.push(() => app.close());

    const run = runScenario(scenario, { target: appTarget({ appUrl: app.url }) });
    await new Promise((r) => setTimeout(r, ROTATE_AFTER_MS));
    const asked = Date.now();
    const rotated = await fetch(`${app.url}/admin/rotate-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
      body: JSON.stringify({ apiKey: NEW_KEY }),
    });
    const rotatedAt = Date.now();
    expect(rotated.status, await rotated.clone().text()).toBe(200);
    expect(await rotated.json()).toMatchObject({ rotated: true });
    const result = await run;

    // No chat failed, none was answered with anything but 200 (the rotation broke nothing).
    const chats = counted(result, 'ops', { op: 'chat' });
    expect(chats).toBe(60);
    expect(counted(result, 'http_reqs', { op: 'chat', status: '2xx' })).toBe(chats);
    expect(counted(result, 'http_reqs', { op: 'chat' })).toBe(chats);
    expect(result.verdict).toBe('passed');
    expect((result.target as TargetDescription).app).toMatchObject({
      started: false,
      chatRequests: { '200': chats },
    });

    // The mock's account of which key each request carried.
    const ledger = mock.simulator.ledger(0);
    expect(ledger.dropped).toBe(0);
    const oldId = fingerprintKey(OLD_KEY);
    const newId = fingerprintKey(NEW_KEY);
    const run1 = `${result.runId}.`;
    const ofRun = ledger.requests.filter((r) => r.opId?.startsWith(run1));
    const withOld = ofRun.filter((r) => r.keyId === oldId);
    const withNew = ofRun.filter((r) => r.keyId === newId);
    expect(withOld.length).toBeGreaterThan(0);
    expect(withNew.length).toBeGreaterThan(0);
    expect(withOld.length + withNew.length).toBe(ofRun.length);
    // Nothing refused for its key, before, during or after the rotation.
    expect(ledger.requests.filter((r) => r.status === 401)).toEqual([]);
    // New calls moved at the rotation: nothing on the new key before it was asked for.
    expect(Math.min(...withNew.map((r) => r.at))).toBeGreaterThanOrEqual(asked);
    // The grace ended at most GRACE_MS after the rotation answered: no old-key request after it.
    const lastOld = Math.max(...withOld.map((r) => r.at));
    expect(lastOld).toBeLessThanOrEqual(rotatedAt + GRACE_MS + IN_TRANSIT_MS);
    // And load went on well past it, on the new key.
    expect(Math.max(...withNew.map((r) => r.at))).toBeGreaterThan(rotatedAt + GRACE_MS + IN_TRANSIT_MS);
    console.info(
      `[key-rotation-run] ${chats} chats, all 2xx; ledger: ${withOld.length} requests on ${oldId}, ` +
        `${withNew.length} on ${newId}; last old-key request ${lastOld - rotatedAt} ms after the rotation (grace ${GRACE_MS} ms)`,
    );

    // The audit's question, asked of the whole ledger: each chat's message stored exactly once.
    const sent = ledger.effects.filter((e) => e.kind === 'message_stored' && e.opId?.startsWith(run1));
    expect(new Set(sent.map((e) => e.opId)).size).toBe(chats);
    expect(sent).toHaveLength(chats);
  }, 60_000);
});
