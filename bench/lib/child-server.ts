import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A server running in a child process, reachable on loopback. */
export interface ChildServer {
  port: number;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The child's process id, to read its CPU time (see process-cpu.ts). */
  pid: number;
  /** Stops the child (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. */
  stop: () => Promise<void>;
}

export interface ChildServerOptions {
  /** Extra environment for the child, e.g. the body a bare server should send. */
  env?: Record<string, string>;
  /** How long to wait for the port line, ms. Default 20 000 (tsx compiles on first start). */
  startTimeoutMs?: number;
}

/**
 * Starts `script` (a TypeScript file, path relative to the repo root) as `node --import tsx
 * script` and resolves once it prints its port as a JSON line `{"port": N}` on stdout. A
 * server under load in its own process gets its own event loop and heap, so it is not slowed
 * by the load generator in ours, and two servers measured alternately start equal.
 *
 * @example
 * const bare = await startChildServer('bench/lib/bare-http-server.ts', { env: { BENCH_BODY: '{}' } });
 * try { await load({ url: `${bare.origin}/` }); } finally { await bare.stop(); }
 */
export function startChildServer(script: string, options: ChildServerOptions = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    // stderr is inherited so a crashing server explains itself on the terminal.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Failed to start ${script}: ${why}. Run it with node --import tsx to see why.`));
    };
    const timer = setTimeout(() => fail(`no port line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) =>
      fail(`it exited (code ${code}, signal ${signal}) before printing its port`),
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const port = parsePortLine(line);
      if (port === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      lines.close();
      // Keep draining stdout so a chatty child never blocks on a full pipe.
      child.stdout!.resume();
      resolve({ port, origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}

function parsePortLine(line: string): number | undefined {
  try {
    const msg = JSON.parse(line) as { port?: unknown };
    return typeof msg.port === 'number' && Number.isInteger(msg.port) && msg.port > 0 ? msg.port : undefined;
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
