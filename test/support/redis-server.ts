/**
 * A real redis-server for tests: Debian's binary on 127.0.0.1 and a free port, with no
 * persistence (`--save '' --appendonly no`) and its working directory in a temp dir that
 * {@link RunningRedisServer.stop} removes. `KEYS` is renamed away by default, so any code
 * path that uses it fails loudly in tests (the guide's cache invalidation did; ours must not).
 * A server still running when the test process exits (a test timed out before its `stop`,
 * the worker was torn down) is killed then and its temp dir removed, so none outlives the run.
 *
 * @example
 * const bin = findRedisServer();
 * if (bin === null) console.warn('[my-suite] skipped: no redis-server on PATH (apt-get install -y redis-server)');
 * describe.skipIf(bin === null)('my suite', () => {
 *   let redis: RunningRedisServer;
 *   beforeAll(async () => { redis = await startRedisServer(); });
 *   afterAll(() => redis?.stop());
 * });
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Servers started and not yet stopped, with their temp dirs: killed at process exit. */
const running = new Map<ChildProcess, string>();
let reaperInstalled = false;

/** Kills (SIGKILL: 'exit' handlers cannot wait) every server still running, and removes its dir. */
function reapAtExit(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.once('exit', () => {
    for (const [child, dir] of running) {
      signal(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A redis-server a test started. */
export interface RunningRedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /**
   * Freezes the server (SIGSTOP): connections stay open and nothing answers, as a Redis stuck
   * in a long command or a swapped-out host looks to its clients. {@link resume} undoes it.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops the server (resumed first, then SIGTERM, SIGKILL after 5 s) and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** More `redis-server` arguments, after ours (a later one wins for most settings). Default none. */
  extraArgs?: string[];
  /** Leave `KEYS` enabled. Default false: it is renamed to `""`, so any use fails with "unknown command". */
  allowKeys?: boolean;
  /** How long to wait for "Ready to accept connections", ms. Default 10 000. */
  readyTimeoutMs?: number;
}

/**
 * The path of `redis-server` on PATH, or `null` when there is none (then skip, saying why).
 *
 * @example
 * describe.skipIf(findRedisServer() === null)('Redis cache', () => { … });
 */
export function findRedisServer(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The reason to print when {@link findRedisServer} finds nothing. */
export const NO_REDIS_REASON = 'no redis-server binary on PATH (apt-get install -y redis-server)';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string')
    throw new Error('Failed to find a free port: no address');
  return address.port;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (/Ready to accept connections/.test(text)) done();
    };
    const onExit = (code: number | null) =>
      done(new Error(`Failed to start redis-server: it exited (${code}) before it was ready.\n${text}`));
    const onError = (err: Error) => done(new Error(`Failed to start redis-server: ${err.message}`));
    const timer = setTimeout(
      () => done(new Error(`Failed to start redis-server: not ready after ${timeoutMs} ms.\n${text}`)),
      timeoutMs,
    );
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/**
 * Starts redis-server on 127.0.0.1 and a free port, `KEYS` disabled, nothing persisted.
 * Rejects (and cleans up) when the binary is missing or the server is not ready in time.
 *
 * @example
 * const redis = await startRedisServer();
 * const client = new Redis(redis.url);
 * // …
 * await client.quit();
 * await redis.stop();
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RunningRedisServer> {
  const bin = findRedisServer();
  if (bin === null) throw new Error(`Failed to start redis-server: ${NO_REDIS_REASON}`);
  const dir = mkdtempSync(join(tmpdir(), 'nh-redis-'));
  // A port found free can be taken before redis binds it (another test doing the same): retry.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...(options.allowKeys === true ? [] : ['--rename-command', 'KEYS', '']),
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForReady(child, options.readyTimeoutMs ?? 10_000);
    } catch (err) {
      await kill(child);
      if (!/Address already in use/i.test(String(err))) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      lastError = err;
      continue;
    }
    // Keep draining its output so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    running.set(child, dir);
    reapAtExit();
    let stopped: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pause: () => signal(child, 'SIGSTOP'),
      resume: () => signal(child, 'SIGCONT'),
      stop() {
        stopped ??= kill(child).finally(() => {
          running.delete(child);
          rmSync(dir, { recursive: true, force: true });
        });
        return stopped;
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/** Sends `sig` to a server that is still running. */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(sig);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A paused server would take SIGTERM only once resumed.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(hard);
}
