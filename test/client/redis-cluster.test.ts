import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNexusClient } from '../../harness/client/index.js';
import { createLimiter } from '../../harness/client/limiter.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { API_KEY, admittedPerWindow } from './support.js';

/**
 * Two processes share one API key's budget through a real redis-server (bottleneck
 * clustering, even spacing): together they never exceed the mock's limit, so the mock
 * answers no 429 and no window admits more than its limit. The test starts its own
 * redis-server on a free loopback port in a temp dir, and skips, saying why, without one.
 *
 * To see that the test can fail: `NH_TEST_UNSHARED=1` gives each process its own limiter id
 * (no shared budget); the mock then answers 429s.
 */

const LIMIT = 10;
const WINDOW_MS = 1_000;
/**
 * Three windows' worth of the shared budget (2 × 12 at 8 per window): enough for windows after
 * the first, where the limiters have to agree, not just start together. Unshared, each process
 * sends 8 in the first window alone.
 */
const OPS_PER_PROCESS = 12;
/**
 * The budget the processes share: a little under the mock's limit, as a deployment would set
 * it, so that scheduling jitter on a busy machine cannot squeeze an extra request into a
 * window. Unshared, two processes would each send this much: far over the limit.
 */
const CLIENT_LIMIT = LIMIT - 2;

function findRedisServer(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const redisBinary = findRedisServer();
if (redisBinary === null) {
  console.warn('[redis-cluster] skipped: no redis-server binary on PATH (apt-get install -y redis-server)');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('exit', (code) => {
      if (!pattern.test(text)) {
        clearTimeout(timer);
        reject(new Error(`process exited (${code}) before ${pattern}: ${text}`));
      }
    });
  });
}

describe.skipIf(redisBinary === null)('two processes sharing one key through redis-server', () => {
  let dir: string;
  let redis: ChildProcess;
  let redisPort: number;
  let mock: RunningMockServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nh-redis-'));
    redisPort = await freePort();
    redis = spawn(
      redisBinary!,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForOutput(redis, /Ready to accept connections/, 10_000);
    mock = await startMockServer({
      config: {
        seed: 21,
        limits: {
          perMinute: { limit: LIMIT, windowMs: WINDOW_MS },
          perHour: { limit: 100_000, windowMs: 3_600_000 },
        },
        assistant: { delay: { type: 'fixed', ms: 60_000 } },
      },
    });
  });

  afterAll(async () => {
    await mock?.close();
    if (redis !== undefined && redis.exitCode === null) {
      const exited = new Promise((resolve) => redis.once('exit', resolve));
      redis.kill('SIGTERM');
      await exited;
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(`never exceed ${LIMIT} requests per ${WINDOW_MS} ms together`, async () => {
    // Start in a fresh window so the setup request does not share one with the workers.
    const setup = createNexusClient({ baseUrl: mock.url, apiKey: API_KEY, rateLimit: false });
    const { id } = await setup.createSession();
    await setup.close();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - (Date.now() % WINDOW_MS) + 5));
    const sinceSeq = mock.simulator.ledger().lastSeq;

    const worker = fileURLToPath(new URL('./fixtures/cluster-worker.ts', import.meta.url));
    const limiterId = `nh-test-${process.pid}-${Date.now()}`;
    const children = ['a', 'b'].map((name) =>
      spawn(process.execPath, ['--import', 'tsx', worker], {
        env: {
          ...process.env,
          MOCK_URL: mock.url,
          API_KEY,
          THREAD_ID: id,
          REDIS_PORT: String(redisPort),
          LIMITER_ID: process.env.NH_TEST_UNSHARED === '1' ? `${limiterId}-${name}` : limiterId,
          OPS: String(OPS_PER_PROCESS),
          LIMIT: String(CLIENT_LIMIT),
          WINDOW_MS: String(WINDOW_MS),
          WORKER: name,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const outputs = await Promise.all(children.map((child) => waitForOutput(child, /"worker"/, 25_000)));
    const reports = outputs.map((text) => JSON.parse(text.slice(text.indexOf('{"worker"')).split('\n')[0]!));

    const ledger = mock.simulator.ledger(sinceSeq);
    const perWindow = admittedPerWindow(ledger, WINDOW_MS);
    const limited = ledger.requests.filter((r) => r.status === 429).length;
    const byWorker = ['a-', 'b-'].map((p) => ledger.requests.filter((r) => r.opId?.startsWith(p)).length);
    console.info(
      `[redis-cluster] 2 processes × ${OPS_PER_PROCESS} ops: ok ${reports.map((r) => r.ok).join(' + ')}, ` +
        `requests per process ${byWorker.join(' + ')}, 429s ${limited}, admitted per ${WINDOW_MS} ms window ${perWindow.join(',')}`,
    );
    expect(reports.map((r) => r.failed)).toEqual([[], []]);
    expect(byWorker.every((n) => n >= OPS_PER_PROCESS)).toBe(true);
    expect(limited).toBe(0);
    expect(Math.max(...perWindow)).toBeLessThanOrEqual(LIMIT);
  });

  it('broadcast a 429 pause from one limiter to the others sharing the id', async () => {
    const id = `nh-pause-${process.pid}-${Date.now()}`;
    const options = {
      perMinute: false as const,
      perHour: false as const,
      clockMarginMs: 0,
      redis: { connection: { host: '127.0.0.1', port: redisPort }, id },
    };
    const a = createLimiter(options, 'unused');
    const b = createLimiter(options, 'unused');
    try {
      await Promise.all([a.ready(), b.ready()]);
      const until = Date.now() + 30_000;
      a.gate.tryAcquire();
      a.gate.observe(429, { 'retry-after': new Date(until).toUTCString() }, Date.now());
      const paused = await new Promise<boolean>((resolve) => {
        const deadline = Date.now() + 5_000;
        const check = () => {
          if (b.gate.state().pausedUntilMs >= until - 1_000) resolve(true);
          else if (Date.now() > deadline) resolve(false);
          else setTimeout(check, 10);
        };
        check();
      });
      expect(paused).toBe(true);
      expect(b.gate.tryAcquire()).toBe(b.gate.state().pausedUntilMs);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
