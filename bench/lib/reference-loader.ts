/**
 * The open-model reference for the cold benches: the least a load generator can do to send
 * `GET URL` at a fixed rate and time it honestly. Run as a script, in a fresh process:
 *
 *   node --import tsx bench/lib/reference-loader.ts URL RATE_PER_SEC DURATION_MS
 *
 * - `node:http` with one keep-alive Agent of 32 sockets (`maxSockets: 32`, FIFO so every
 *   socket stays in use), all 32 opened before the clock starts (one GET each, not timed);
 * - request i is due at t0 + i / rate and is sent when due (no VUs, nothing dropped: a
 *   request finding every socket busy waits in the Agent's queue);
 * - its latency is response end − due time, so time spent queued behind a busy socket, and
 *   the timer firing late, are charged to it, as the harness's `op_duration` ("from intended
 *   start") charges them.
 *
 * After DURATION_MS it waits up to 5 s (the benches' gracefulStop) for what is in flight, then
 * prints one JSON line, a {@link ReferenceResult}, and exits. Loopback only.
 */
import { Agent, request } from 'node:http';

/** What the reference loader prints, one JSON line on stdout. */
export interface ReferenceResult {
  ratePerSec: number;
  durationMs: number;
  /** Requests due in the window: rate × duration. */
  scheduled: number;
  /** 200 responses read to the end; the latencies are theirs. */
  completed: number;
  /** Responses with another status. */
  non2xx: number;
  /** Requests that failed (socket error, reset). */
  errors: number;
  /** Still in flight when the grace period ran out. */
  unfinished: number;
  /** completed / (duration in s). */
  achievedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How late the timer sent requests (sent − due), p99, ms: the reference's own schedule lateness. */
  sendLatenessP99Ms: number;
  /** This process's CPU (user + system) from t0 to the last response, ms. */
  loadCpuMs: number;
}

const SOCKETS = 32;
const GRACE_MS = 5_000;
const API_KEY = process.env.NEXUS_API_KEY ?? 'nexus-mock-key';

function fail(message: string): never {
  process.stderr.write(`reference-loader: ${message}\n`);
  process.exit(2);
}

/** Nearest-rank percentile of the first `n` values of a sorted array. */
function percentile(sorted: Float64Array, n: number, p: number): number {
  if (n === 0) return Number.NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
}

const [urlArg, rateArg, durationArg] = process.argv.slice(2);
if (!urlArg || !rateArg || !durationArg) fail('usage: reference-loader.ts URL RATE_PER_SEC DURATION_MS');
const url = new URL(urlArg);
if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
  fail(`refusing ${url.origin}: the reference loader sends to http://127.0.0.1 only.`);
}
const ratePerSec = Number(rateArg);
const durationMs = Number(durationArg);
if (!(ratePerSec > 0 && ratePerSec <= 100_000)) fail(`bad rate ${rateArg}: need 0 < rate ≤ 100000.`);
if (!(durationMs > 0 && durationMs <= 3_600_000)) fail(`bad duration ${durationArg}: need 0 < ms ≤ 3600000.`);

const agent = new Agent({
  keepAlive: true,
  maxSockets: SOCKETS,
  maxFreeSockets: SOCKETS,
  scheduling: 'fifo',
});
// Built once and reused for every request.
const requestOptions = {
  host: url.hostname,
  port: Number(url.port),
  path: url.pathname,
  method: 'GET',
  agent,
  headers: { 'api-key': API_KEY },
};

/** One untimed GET per socket, all at once, so the Agent opens all 32 before t0. */
function openSockets(): Promise<void> {
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(requestOptions, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  return Promise.all(Array.from({ length: SOCKETS }, one)).then(() => {});
}

try {
  await openSockets();
} catch (err) {
  fail(`failed to open ${SOCKETS} sockets to ${url.origin}: ${(err as Error).message}`);
}
const open = Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
if (open !== SOCKETS) process.stderr.write(`reference-loader: ${open} sockets open, not ${SOCKETS}\n`);

const scheduled = Math.round((ratePerSec * durationMs) / 1_000);
const periodMs = 1_000 / ratePerSec;
const latencies = new Float64Array(scheduled);
const sendLateness = new Float64Array(scheduled);
let sent = 0;
let completed = 0;
let non2xx = 0;
let errors = 0;
let inFlight = 0;

const cpu0 = process.cpuUsage();
const t0 = performance.now();

const finished = new Promise<void>((resolve) => {
  const settle = () => {
    inFlight--;
    if (sent === scheduled && inFlight === 0) resolve();
  };
  const send = (due: number) => {
    inFlight++;
    sendLateness[sent] = performance.now() - due;
    const req = request(requestOptions, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        const end = performance.now();
        if (res.statusCode === 200) latencies[completed++] = end - due;
        else non2xx++;
        settle();
      });
      res.on('error', () => {
        errors++;
        settle();
      });
    });
    req.on('error', () => {
      errors++;
      settle();
    });
    req.end();
  };
  // Sends everything due by now, then sleeps until the next is due. Bounded: `scheduled` sends.
  const pump = () => {
    const now = performance.now();
    while (sent < scheduled && t0 + sent * periodMs <= now) {
      send(t0 + sent * periodMs);
      sent++;
    }
    if (sent < scheduled) setTimeout(pump, Math.max(0, t0 + sent * periodMs - performance.now()));
    else if (inFlight === 0) resolve();
  };
  pump();
  // The graceful stop: what is still in flight then is counted as unfinished.
  setTimeout(resolve, durationMs + GRACE_MS).unref();
});

await finished;
const cpu = process.cpuUsage(cpu0);
const unfinished = inFlight;
agent.destroy();
latencies.subarray(0, completed).sort();
sendLateness.subarray(0, sent).sort();
const result: ReferenceResult = {
  ratePerSec,
  durationMs,
  scheduled,
  completed,
  non2xx,
  errors,
  unfinished,
  achievedPerSec: completed / (durationMs / 1_000),
  p50Ms: percentile(latencies, completed, 50),
  p99Ms: percentile(latencies, completed, 99),
  maxMs: completed > 0 ? latencies[completed - 1]! : Number.NaN,
  sendLatenessP99Ms: percentile(sendLateness, sent, 99),
  loadCpuMs: (cpu.user + cpu.system) / 1_000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
// Destroyed sockets close on their own; don't let a straggler hold the exit.
setTimeout(() => process.exit(0), 1_000).unref();
