/**
 * `blast` against plain autocannon, under the same load: what our per-response recording
 * (taps on every connection, HDR histograms, intended-start timing) costs in throughput.
 *
 * Target: the mock's HTTP face in a child process (limits off, no faults), `GET
 * /api/public/thread/{id}` of one thread. Plain: `bench/lib/autocannon.ts` on that URL. Blast:
 * `blast()` with the mix `{ getSession: 1 }`, one thread, the same connections and duration,
 * closed model. Both sides run in this process, alternately (never at once), for several
 * rounds; issue 13 asks for blast/plain ≥ 0.90.
 *
 * Throughput on both sides is responses ÷ the time autocannon ran (its start to its done
 * callback, which includes its wind-down to its next one-second tick, on both sides alike):
 * for blast that is the figure it reports (`ops` ÷ `durationMs`). A second row compares
 * autocannon's own per-second mean on both sides, the same question without our clock.
 */
import { blast } from '../harness/runners/autocannon/blast.js';
import { urlTarget } from '../harness/targets/index.js';
import { validateScenario } from '../scenarios/model/scenario.js';
import { load } from './lib/autocannon.js';
import { type ChildServer, startChildServer } from './lib/child-server.js';
import { alternateRounds } from './lib/rounds.js';
import type { Bench, BenchResult } from './lib/types.js';

const API_KEY = 'nexus-mock-key';
/** Same for both sides, as in mock-http.bench.ts. */
const CONNECTIONS = 50;
const INITIAL_WARMUP_SEC = 2;
const WARMUP_SEC = 1;
const DURATION_SEC = 3;
/** 2 × 2 s + 6 rounds × 2 sides × (1 s + 3 s) = 52 s of load, plus start-up: more rounds, as the machine is shared. */
const ROUNDS = 6;

const scenario = validateScenario({
  name: 'blast-bench',
  executors: { main: { executor: 'constant-vus', vus: CONNECTIONS, duration: `${DURATION_SEC}s` } },
  workload: { mix: { getSession: 1 } },
  mock: { limits: false },
});

async function createThread(origin: string): Promise<string> {
  const created = await fetch(`${origin}/api/public/thread`, {
    method: 'POST',
    headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
    body: '{}',
  });
  if (created.status !== 200)
    throw new Error(`Failed to create a thread on the mock: HTTP ${created.status}`);
  return ((await created.json()) as { id: string }).id;
}

interface Side {
  /** Responses ÷ autocannon's run time, requests/s. */
  rps: number;
  /** autocannon's own mean of its per-second counts, requests/s. */
  autocannonRps: number;
  /** This process's CPU (user + system) per response, µs: the generator's own cost, steadier than rps on a busy machine. */
  cpuUs: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1_000;
};

async function plain(url: string, durationSec: number): Promise<Side> {
  const started = performance.now();
  const cpu = cpuMs();
  const r = await load({ url, headers: { 'api-key': API_KEY }, connections: CONNECTIONS, durationSec });
  return {
    rps: r.requests / ((performance.now() - started) / 1_000),
    autocannonRps: r.rps,
    cpuUs: ((cpuMs() - cpu) * 1_000) / r.requests,
  };
}

async function blasted(baseUrl: string, durationSec: number): Promise<Side> {
  // Includes the setup (one thread, target checks): a few requests against thousands.
  const cpu = cpuMs();
  const { result, autocannon } = await blast(scenario, {
    target: urlTarget({ url: baseUrl }),
    connections: CONNECTIONS,
    rate: null,
    durationMs: durationSec * 1_000,
    threads: 1,
    env: {},
  });
  const ops =
    result.metrics.ops?.values.reduce((sum, v) => sum + (v.stats as { count: number }).count, 0) ?? 0;
  const failed = result.metrics.op_failed?.values.reduce(
    (sum, v) => sum + (v.stats as { passes: number }).passes,
    0,
  );
  if (ops === 0 || failed !== 0) throw new Error(`Failed to blast the mock: ${ops} ops, ${failed} failed.`);
  return {
    rps: ops / (result.durationMs / 1_000),
    autocannonRps: autocannon.meanRps,
    cpuUs: ((cpuMs() - cpu) * 1_000) / ops,
  };
}

const bench: Bench = {
  name: 'blast',
  description: `blast vs plain autocannon, GET /thread/{id} on the mock, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds`,
  async run(): Promise<BenchResult[]> {
    let mock: ChildServer | undefined;
    try {
      mock = await startChildServer('bench/lib/mock-http-server.ts');
      const baseUrl = `${mock.origin}/api/public`;
      const url = `${baseUrl}/thread/${await createThread(mock.origin)}`;
      await plain(url, INITIAL_WARMUP_SEC);
      await blasted(baseUrl, INITIAL_WARMUP_SEC);
      const plainOwn: number[] = [];
      const blastOwn: number[] = [];
      const plainCpu: number[] = [];
      const blastCpu: number[] = [];
      const measure = async (
        label: string,
        side: (d: number) => Promise<Side>,
        own: number[],
        cpu: number[],
      ) => {
        await side(WARMUP_SEC);
        const s = await side(DURATION_SEC);
        own.push(s.autocannonRps);
        cpu.push(s.cpuUs);
        process.stderr.write(
          `  ${label.padEnd(6)} ${Math.round(s.rps).toLocaleString('en-US').padStart(7)} req/s` +
            `  (autocannon's own mean ${Math.round(s.autocannonRps).toLocaleString('en-US')} req/s)` +
            `  ${s.cpuUs.toFixed(1)} µs CPU/response here\n`,
        );
        return s.rps;
      };
      const { a, b } = await alternateRounds({
        rounds: ROUNDS,
        a: () => measure('blast', blasted.bind(null, baseUrl), blastOwn, blastCpu),
        b: () => measure('plain', plain.bind(null, url), plainOwn, plainCpu),
        onRound: (round, blastRps, plainRps) =>
          process.stderr.write(
            `  round ${round}/${ROUNDS}: blast/plain ${(blastRps / plainRps).toFixed(3)}\n`,
          ),
      });
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      const ratio = a.mean / b.mean;
      const ownRatio = mean(blastOwn) / mean(plainOwn);
      return [
        { name: 'blast rps', value: a.mean, unit: 'req/s', baseline: b.mean, ratio },
        { name: 'plain autocannon rps', value: b.mean, unit: 'req/s', baseline: null, ratio: null },
        { name: 'blast/plain rps', value: ratio, unit: 'ratio', baseline: b.mean, ratio },
        {
          name: "blast/plain rps (autocannon's own mean)",
          value: ownRatio,
          unit: 'ratio',
          baseline: mean(plainOwn),
          ratio: ownRatio,
        },
        {
          name: 'blast CPU/response',
          value: mean(blastCpu),
          unit: 'µs',
          baseline: mean(plainCpu),
          ratio: mean(blastCpu) / mean(plainCpu),
        },
        {
          name: 'blast/plain efficiency',
          value: mean(plainCpu) / mean(blastCpu),
          unit: 'ratio',
          baseline: mean(plainCpu),
          ratio: mean(plainCpu) / mean(blastCpu),
        },
      ];
    } finally {
      await mock?.stop();
    }
  },
};

export default bench;
