/**
 * The Nexus client's hot path against raw `undici.request`, on the same mock, same run.
 *
 * Target: `GET /api/public/thread/{id}` on the mock's HTTP face (limits off, no faults) in a
 * child process, so this process holds only the load and its CPU time is the client's.
 * - client: `createNexusClient` with `rateLimit: false` (no own budget; the server-synced gate
 *   stays on), retries on (default policy), batching off, transport `undici`; `getSession`.
 * - baseline: `undici.request(url, { dispatcher: pool })` on a pool of the same size, with
 *   the same headers, reading the body and parsing the JSON (what any caller needs).
 * - also measured: `globalThis.fetch` with the same kind of pool as dispatcher, the path the
 *   client takes under MSW (`transport: 'fetch'`), to show why `auto` picks per target.
 *
 * Closed loop: CONCURRENCY workers each send the next request as soon as the last one
 * returned, for DURATION_MS. Sides alternate (never at once), order flipping every round.
 * Reported: throughput of each and the ratio client/raw (goal ≥ 0.85; as a ratio of means
 * and as the median of the per-round ratios), and CPU µs per request in this process
 * (process.cpuUsage) for each: the steadier figure on a busy machine.
 */
import { Pool, request } from 'undici';
import { createNexusClient, type NexusClient } from '../harness/client/index.js';
import { type ChildServer, startChildServer } from './lib/child-server.js';
import { median } from './lib/median.js';
import { alternateRounds } from './lib/rounds.js';
import type { Bench, BenchResult } from './lib/types.js';

const API_KEY = 'nexus-mock-key';
const CONCURRENCY = 32;
const CONNECTIONS = 32;
const WARMUP_MS = 1_500;
const DURATION_MS = 2_500;
const ROUNDS = 4;

interface Sample {
  rps: number;
  cpuUsPerRequest: number;
}

/** Runs `call` in CONCURRENCY closed loops for `ms`; returns throughput and this process's CPU per call. */
async function loop(call: () => Promise<unknown>, ms: number): Promise<Sample> {
  let count = 0;
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        await call();
        count++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  if (errors > 0) throw new Error(`Failed to measure: ${errors} calls failed under load (expected none).`);
  return { rps: (count / elapsedMs) * 1_000, cpuUsPerRequest: (cpu.user + cpu.system) / count };
}

async function measure(label: string, call: () => Promise<unknown>, cpu: number[]): Promise<number> {
  await loop(call, WARMUP_MS / 3);
  const sample = await loop(call, DURATION_MS);
  cpu.push(sample.cpuUsPerRequest);
  process.stderr.write(
    `  ${label.padEnd(14)} ${Math.round(sample.rps).toLocaleString('en-US').padStart(7)} req/s` +
      `  ${sample.cpuUsPerRequest.toFixed(1)} µs CPU/request\n`,
  );
  return sample.rps;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const bench: Bench = {
  name: 'client',
  description: `client getSession vs raw undici.request (and fetch+dispatcher), ${CONCURRENCY} concurrent, ${ROUNDS} alternating rounds`,
  async run(): Promise<BenchResult[]> {
    let mock: ChildServer | undefined;
    let client: NexusClient | undefined;
    const pools: Pool[] = [];
    try {
      mock = await startChildServer('bench/lib/mock-http-server.ts');
      const baseUrl = `${mock.origin}/api/public`;
      client = createNexusClient({
        baseUrl,
        apiKey: API_KEY,
        transport: 'undici',
        rateLimit: false,
        batching: false,
        pool: { connections: CONNECTIONS },
      });
      const { id } = await client.createSession();
      const url = `${baseUrl}/thread/${id}`;
      const headers = { 'api-key': API_KEY, accept: 'application/json' };
      const rawPool = new Pool(mock.origin, { connections: CONNECTIONS });
      const fetchPool = new Pool(mock.origin, { connections: CONNECTIONS });
      pools.push(rawPool, fetchPool);

      const c = client;
      const viaClient = () => c.getSession(id);
      const viaRaw = async () => {
        const res = await request(url, { dispatcher: rawPool, headers });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
        return JSON.parse(text);
      };
      const fetchInit = { headers, dispatcher: fetchPool } as unknown as RequestInit;
      const viaFetch = async () => {
        const res = await globalThis.fetch(url, fetchInit);
        const text = await res.text();
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        return JSON.parse(text);
      };

      for (const call of [viaClient, viaRaw, viaFetch]) await loop(call, WARMUP_MS);

      const clientCpu: number[] = [];
      const rawCpu: number[] = [];
      const { a, b } = await alternateRounds({
        rounds: ROUNDS,
        a: () => measure('client', viaClient, clientCpu),
        b: () => measure('undici.request', viaRaw, rawCpu),
        onRound: (round, clientRps, rawRps) =>
          process.stderr.write(`  round ${round}/${ROUNDS}: client/raw ${(clientRps / rawRps).toFixed(3)}\n`),
      });
      const fetchCpu: number[] = [];
      const rawCpu2: number[] = [];
      const f = await alternateRounds({
        rounds: 2,
        a: () => measure('fetch+pool', viaFetch, fetchCpu),
        b: () => measure('undici.request', viaRaw, rawCpu2),
      });

      const ratio = a.mean / b.mean;
      // A neighbour's burst can halve one side of one round; the median of the per-round
      // ratios shrugs that off where the ratio of means does not.
      const medianRatio = median(a.values.map((v, i) => v / b.values[i]!));
      const clientUs = mean(clientCpu);
      const rawUs = mean(rawCpu);
      const fetchUs = mean(fetchCpu);
      const rawUs2 = mean(rawCpu2);
      return [
        { name: 'client getSession rps', value: a.mean, unit: 'req/s', baseline: b.mean, ratio },
        { name: 'client/raw undici rps', value: ratio, unit: 'ratio', baseline: b.mean, ratio },
        {
          name: 'client/raw rps, median round',
          value: medianRatio,
          unit: 'ratio',
          baseline: null,
          ratio: medianRatio,
        },
        { name: 'client CPU/request', value: clientUs, unit: 'µs', baseline: rawUs, ratio: clientUs / rawUs },
        {
          name: 'fetch+dispatcher rps',
          value: f.a.mean,
          unit: 'req/s',
          baseline: f.b.mean,
          ratio: f.a.mean / f.b.mean,
        },
        {
          name: 'fetch+dispatcher CPU/request',
          value: fetchUs,
          unit: 'µs',
          baseline: rawUs2,
          ratio: fetchUs / rawUs2,
        },
      ];
    } finally {
      await client?.close();
      await Promise.all(pools.map((p) => p.close()));
      await mock?.stop();
    }
  },
};

export default bench;
