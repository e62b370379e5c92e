/**
 * The load generator's CPU per request, cold, closed model: the harness against autocannon at
 * 50 connections, on the same mock (limits off, its own process).
 *
 * - harness: a fresh CLI process (`node dist/cli/main.js run … --target url`),
 *   `constant-vus` 50 VUs for 10 s, a 50-connection pool, `getSession` on per-VU sessions;
 * - autocannon: a fresh process (`node node_modules/autocannon/autocannon.js -c 50 -d 10 -j`)
 *   sending `GET /thread/{id}` for one thread.
 *
 * Both processes are started with bench/lib/cpu-at-exit.mjs, so each side's CPU is its whole
 * process from start to exit (start-up included: that is what a user pays), divided by the
 * responses it got (the harness's `http_reqs`, autocannon's `requests.total`). The harness's
 * CPU over its load window only (`generator.cpu` in result.json) is reported beside it, so the
 * start-up share shows. Sides alternate over 4 rounds (A B, B A, A B, B A); the figure is the
 * ratio of the medians, harness ÷ autocannon (goal ≤ 1.5). The build is checked first
 * (bench/lib/build.ts).
 *
 * What keeps the verdict from hanging on one run's luck:
 * - four rounds, not two: on this VM even a pure CPU loop's time moves ±15 % from run to run,
 *   so one slow round must not decide the median;
 * - the mock is warmed first on every path either generator uses (an unmeasured autocannon
 *   burst, then an unmeasured short harness run, which also reads and releases the ledger):
 *   a freshly started mock serves slower for its first runs, and a generator waiting on a
 *   slow mock pays more per request (more wake-ups, fewer responses per turn of its loop).
 *   Only the mock is warmed: every measured generator is still a fresh process;
 * - each run starts with the mock's ledger released: autocannon's requests are never read,
 *   so they would stay held and make the mock slower for whatever runs next.
 *
 * The mock runs on a core of its own and both generators on the others (`taskset`, see
 * bench/lib/cpu-pinning.ts): each generator is compared on the same core, with the mock never
 * on it, so where the scheduler puts three busy processes on two cores is no longer part of
 * the figure. (The machine's own drift remains: that is what the four rounds are for.)
 * `BENCH_PIN_CPUS=off` (or a machine without taskset or with one core) runs them unpinned,
 * and the bench says so.
 */
import { check } from './lib/acceptance.js';
import { load } from './lib/autocannon.js';
import { ensureBuilt } from './lib/build.js';
import { runNodeChild } from './lib/child-run.js';
import { startCliMock } from './lib/cli-mock.js';
import { runCliScenario } from './lib/cli-run.js';
import { closedScenario } from './lib/cold-scenarios.js';
import { cpuPinning } from './lib/cpu-pinning.js';
import { median } from './lib/median.js';
import { createThread, MOCK_API_KEY } from './lib/mock-thread.js';
import { counterTotal } from './lib/result-figures.js';
import { alternateRounds } from './lib/rounds.js';
import type { Bench, BenchResult } from './lib/types.js';

const CONNECTIONS = 50;
const DURATION_SEC = 10;
const ROUNDS = 4;
/** The unmeasured load that warms the mock before the first round, s. */
const MOCK_WARM_UP_SEC = 3;
const MOCK_WARM_UP_MS = MOCK_WARM_UP_SEC * 1_000;
const RATIO_GOAL = 1.5;
const RUN_TIMEOUT_MS = 90_000;

/** The parts of autocannon's `-j` output read here. */
interface AutocannonJson {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const bench: Bench = {
  name: 'closed-cpu',
  description: `generator CPU µs per request, fresh CLI (constant-vus ${CONNECTIONS}) vs fresh autocannon -c ${CONNECTIONS}, ${DURATION_SEC} s, ${ROUNDS} alternating rounds`,
  async run(): Promise<BenchResult[]> {
    process.stderr.write(`  ${await ensureBuilt()}\n`);
    const pinning = cpuPinning();
    const pinned = 'reason' in pinning ? undefined : pinning;
    process.stderr.write(
      pinned === undefined
        ? `  not pinned to cores (${'reason' in pinning ? pinning.reason : ''}): figures vary more from run to run\n`
        : `  cores: mock on ${pinned.target}, harness and autocannon on ${pinned.generator} (taskset)\n`,
    );
    const mock = await startCliMock([], pinned?.target);
    try {
      const threadUrl = await createThread(mock.baseUrl);
      const warm = await load({
        url: threadUrl,
        connections: CONNECTIONS,
        durationSec: MOCK_WARM_UP_SEC,
        headers: { 'api-key': MOCK_API_KEY },
      });
      const warmRun = await runCliScenario({
        scenario: closedScenario('closed-cpu-warm-up', CONNECTIONS, MOCK_WARM_UP_MS, { getSession: 1 }),
        baseUrl: mock.baseUrl,
        timeoutMs: RUN_TIMEOUT_MS,
        cpus: pinned?.generator,
      });
      process.stderr.write(
        `  mock warmed, not measured: ${warm.requests} requests of autocannon, ` +
          `then ${counterTotal(warmRun.data, 'http_reqs')} of a ${MOCK_WARM_UP_SEC} s harness run\n`,
      );
      const harnessLoadUs: number[] = [];
      const harnessRps: number[] = [];
      const autocannonRps: number[] = [];

      const harness = async (): Promise<number> => {
        await mock.releaseLedger();
        const run = await runCliScenario({
          scenario: closedScenario('closed-cpu', CONNECTIONS, DURATION_SEC * 1_000, { getSession: 1 }),
          baseUrl: mock.baseUrl,
          timeoutMs: RUN_TIMEOUT_MS,
          cpus: pinned?.generator,
        });
        const requests = counterTotal(run.data, 'http_reqs');
        if (requests === 0)
          throw new Error('Failed to load the mock with the harness: no http_reqs recorded.');
        const failed = run.data
          .filter((d) => d.name === 'http_reqs' && d.kind === 'counter' && d.tags.status !== '2xx')
          .reduce((n, d) => n + (d.kind === 'counter' ? d.count : 0), 0);
        const totalMs = run.cpu.userMs + run.cpu.systemMs;
        const loadMs = run.result.generator.cpu.userMs + run.result.generator.cpu.systemMs;
        const us = (totalMs * 1_000) / requests;
        const loadUs = (loadMs * 1_000) / requests;
        harnessLoadUs.push(loadUs);
        harnessRps.push(requests / DURATION_SEC);
        process.stderr.write(
          `  harness     ${requests} requests (${failed} not 2xx), ${(requests / DURATION_SEC).toFixed(0)}/s; ` +
            `CPU ${(totalMs / 1_000).toFixed(2)} s whole process = ${us.toFixed(1)} µs/request; ` +
            `load window ${(loadMs / 1_000).toFixed(2)} s = ${loadUs.toFixed(1)} µs/request; ` +
            `peak RSS ${(run.cpu.maxRssKb / 1_024).toFixed(0)} MB; exit ${run.exitCode}\n`,
        );
        return us;
      };

      const autocannon = async (): Promise<number> => {
        await mock.releaseLedger();
        const run = await runNodeChild({
          args: [
            'node_modules/autocannon/autocannon.js',
            '-c',
            String(CONNECTIONS),
            '-d',
            String(DURATION_SEC),
            '-j',
            '-H',
            `api-key: ${MOCK_API_KEY}`,
            threadUrl,
          ],
          timeoutMs: RUN_TIMEOUT_MS,
          cpus: pinned?.generator,
        });
        if (run.code !== 0 || run.cpu === null) {
          throw new Error(
            `Failed to run autocannon: it exited with ${run.code ?? run.signal}${run.timedOut ? ' (timed out)' : ''}. ` +
              `Its stderr ends:\n${run.stderrTail || '(empty)'}`,
          );
        }
        const json = JSON.parse(run.stdout) as AutocannonJson;
        const requests = json.requests.total;
        const problems = json.errors + json.timeouts + json.non2xx;
        if (requests === 0 || problems > 0) {
          // Failed requests are cheap: counting them would flatter autocannon's CPU per request.
          throw new Error(
            `Failed to load the mock with autocannon: ${requests} responses, ${json.errors} errors, ` +
              `${json.timeouts} timeouts, ${json.non2xx} non-2xx. Check the mock serves ${threadUrl}.`,
          );
        }
        const totalMs = run.cpu.userMs + run.cpu.systemMs;
        const us = (totalMs * 1_000) / requests;
        autocannonRps.push(requests / DURATION_SEC);
        process.stderr.write(
          `  autocannon  ${requests} requests, ${(requests / DURATION_SEC).toFixed(0)}/s; ` +
            `CPU ${(totalMs / 1_000).toFixed(2)} s whole process = ${us.toFixed(1)} µs/request; ` +
            `peak RSS ${(run.cpu.maxRssKb / 1_024).toFixed(0)} MB\n`,
        );
        return us;
      };

      const { a, b } = await alternateRounds({
        rounds: ROUNDS,
        a: harness,
        b: autocannon,
        onRound: (round, h, ac) =>
          process.stderr.write(`  round ${round}/${ROUNDS}: harness/autocannon ${(h / ac).toFixed(2)}\n`),
      });
      const harnessUs = median(a.values);
      const autocannonUs = median(b.values);
      const ratio = harnessUs / autocannonUs;
      const loadUs = median(harnessLoadUs);
      check(
        'CPU per request, harness ÷ autocannon',
        ratio <= RATIO_GOAL,
        `${ratio.toFixed(2)} (${harnessUs.toFixed(1)} ÷ ${autocannonUs.toFixed(1)} µs; goal ≤ ${RATIO_GOAL}; ${pinned === undefined ? 'unpinned' : 'pinned'})`,
      );
      process.stderr.write(
        `  load window only: harness ${loadUs.toFixed(1)} µs/request = ${(loadUs / autocannonUs).toFixed(2)} × autocannon's whole-process figure; ` +
          `start-up and exit are ${(100 * (1 - loadUs / harnessUs)).toFixed(0)} % of the harness's\n`,
      );
      return [
        {
          name: 'closed-cpu harness CPU/request',
          value: harnessUs,
          unit: 'µs',
          baseline: autocannonUs,
          ratio,
        },
        {
          name: 'closed-cpu harness load-window CPU/request',
          value: loadUs,
          unit: 'µs',
          baseline: autocannonUs,
          ratio: loadUs / autocannonUs,
        },
        {
          name: 'closed-cpu autocannon CPU/request',
          value: autocannonUs,
          unit: 'µs',
          baseline: null,
          ratio: null,
        },
        {
          name: 'closed-cpu harness req/s',
          value: median(harnessRps),
          unit: 'req/s',
          baseline: median(autocannonRps),
          ratio: median(harnessRps) / median(autocannonRps),
        },
      ];
    } finally {
      await mock.stop();
    }
  },
};

export default bench;
