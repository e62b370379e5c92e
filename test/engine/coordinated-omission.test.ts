import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricData, TrendData } from '../../harness/engine/recorder/index.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import { combineMetricData } from '../../harness/engine/result/combine.js';
import { trendPercentileMs } from '../../harness/engine/result/stats.js';
import { runOn } from '../support/run.js';

/**
 * The known-answer test of coordinated omission. A constant arrival rate (20/s for 4.5 s: 90
 * operations, intended at i·50 ms) goes through a client with ONE connection and one request
 * at a time to a server that answers at once, except that it holds request #20 for 2 s.
 *
 * By hand: op 20 (intended at 1 000 ms) returns at ≈ 3 000 ms; ops 21…59, intended while it
 * was stuck, wait in the client and finish just after 3 000 ms. So their latency from the
 * intended start is 3 000 − i·50: 2 000, 1 950, …, 50 ms; every other op (50 of the 90) takes
 * a few ms. The tail percentiles (p90, p95, p99: what coordinated omission hides) are compared;
 * lower ones would also carry the few ms per op the client needs to drain its queue after the
 * stall. A load tool that measures from the actual send (coordinated omission) would report one
 * slow request and 89 fast ones; the harness must report the schedule's truth in `op_duration`,
 * while `http_req_duration` (service time) shows the stall once: one connection, one stall.
 * (The stalled ops are under half of all, so the median is a fast op's.)
 */
const RATE = 20;
const PERIOD_MS = 1_000 / RATE;
const OPS = 90;
const STALLED = 20;
const STALL_MS = 2_000;

/** Latencies the schedule implies, op by op, ms (fast ops as 0). */
function expectedLatencies(): number[] {
  const stallStart = STALLED * PERIOD_MS;
  const stallEnd = stallStart + STALL_MS;
  return Array.from({ length: OPS }, (_, i) => {
    const intended = i * PERIOD_MS;
    return intended >= stallStart && intended < stallEnd ? stallEnd - intended : 0;
  }).sort((a, b) => a - b);
}

/** Nearest-rank percentile, as HdrHistogram reports it. */
function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function trendOf(data: readonly MetricData[], name: string): TrendData {
  const cells = data.filter((d) => d.name === name);
  return (cells.length === 1 ? cells[0] : combineMetricData(cells, {})) as TrendData;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A minimal Nexus face: `POST /api/public/thread` answered at once, except request #STALLED. */
async function startStallingServer(): Promise<string> {
  let creates = 0;
  server = createServer((req, res) => {
    req.resume();
    if (req.method !== 'POST' || req.url !== '/api/public/thread') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404}');
      return;
    }
    const n = creates++;
    const body = JSON.stringify({ id: `t-${n}`, createdAt: new Date().toISOString() });
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (n === STALLED) setTimeout(answer, STALL_MS);
    else answer();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/public`;
}

describe('coordinated omission (known answer)', () => {
  it('op_duration matches the schedule within 5%, and service time shows the stall once', async () => {
    const url = await startStallingServer();
    const { result } = await runOn(
      {
        name: 'co-known-answer',
        executors: {
          main: {
            executor: 'constant-arrival-rate',
            rate: RATE,
            duration: `${(OPS / RATE) * 1_000}ms`,
            // The stall holds STALL_MS · RATE = 40 operations at once.
            preAllocatedVUs: 60,
            maxVUs: 120,
            gracefulStop: '10s',
          },
        },
        workload: { mix: { createSession: 1 } },
        client: {
          pool: { connections: 1 },
          rateLimit: { maxConcurrent: 1, perMinute: false, perHour: false },
          retry: { maxAttempts: 1 },
          timeouts: { attemptTimeoutMs: '10s' },
        },
      },
      { target: 'url', url },
    );
    const data = decodeResultMetrics(result.metrics);
    const op = trendOf(data, 'op_duration');
    expect(op.count).toBe(OPS);

    const expected = expectedLatencies();
    for (const p of [90, 95, 99]) {
      const want = nearestRank(expected, p);
      const got = trendPercentileMs(op, p);
      expect(
        Math.abs(got - want),
        `op_duration p(${p}): got ${got} ms, by hand ${want} ms`,
      ).toBeLessThanOrEqual(want * 0.05);
    }
    // The fast majority stays fast: the median is not dragged up by the stall.
    expect(trendPercentileMs(op, 50)).toBeLessThan(50);

    const service = trendOf(data, 'http_req_duration');
    expect(service.count).toBe(OPS);
    // Exactly one attempt was on the wire through the stall (the max); all OPS − 1 others were
    // quick: the percentile just below one sample's share is still fast.
    expect(service.maxUs / 1_000).toBeGreaterThanOrEqual(STALL_MS * 0.95);
    expect(trendPercentileMs(service, 100 * (1 - 1 / OPS) - 0.1)).toBeLessThan(100);
    // The waiting happened inside the client, where queue_time shows it.
    expect(trendPercentileMs(trendOf(data, 'queue_time'), 95)).toBeGreaterThan(STALL_MS / 2);
  });
});
