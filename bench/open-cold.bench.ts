/**
 * The harness cold, open model: for each of 1,000, 2,000 and 4,000 iterations/s, a FRESH CLI
 * process (`node dist/cli/main.js run … --target url`, no warm-up run) drives
 * `constant-arrival-rate` `getSession` for 10 s against the mock in a separate process; right
 * after, on the same mock, a minimal open-model loader (bench/lib/reference-loader.ts, also a
 * fresh process) sends the same rate of `GET /thread/{id}` for 10 s. The harness's figures come
 * from its result.json; its op_duration p99 is quoted against the reference's p99, both timed
 * from the intended start.
 *
 * Only the mock is warmed (2 s of reference load before the first pair), so neither side is
 * charged for the mock's own JIT. The build is checked first (`npm run build` only when
 * dist/ is missing or older than the sources; see bench/lib/build.ts).
 *
 * Acceptance (marked PASS/FAIL on stderr, never thrown): at 1,000 and 2,000/s no dropped
 * iterations, schedule_lateness p99 < 5 ms, op_duration p99 ≤ 2 × the reference's p99 or
 * < 10 ms; at 4,000/s an achieved rate ≥ 99 % of the target. For the 1,000/s run, the CLI
 * process's CPU outside the load window (its whole CPU at exit minus the load window's
 * `generator.cpu`) — start-up, client close, audit, result writing — goal < 0.5 s.
 */
import type { RunResult } from '../harness/engine/result/types.js';
import { check, fixed } from './lib/acceptance.js';
import { ensureBuilt } from './lib/build.js';
import { runNodeChild } from './lib/child-run.js';
import { type CliMock, startCliMock } from './lib/cli-mock.js';
import { type CliRun, runCliScenario } from './lib/cli-run.js';
import { openScenario } from './lib/cold-scenarios.js';
import { median } from './lib/median.js';
import { createThread } from './lib/mock-thread.js';
import { processCpuMs } from './lib/process-cpu.js';
import type { ReferenceResult } from './lib/reference-loader.js';
import { counterTotal, rateTrues, trendPercentile } from './lib/result-figures.js';
import type { Bench, BenchResult } from './lib/types.js';

const RATES = [1_000, 2_000, 4_000] as const;
const DURATION_MS = 10_000;
/** Reference load on the mock before the first pair, discarded: the mock's JIT is not what is measured. */
const MOCK_WARMUP = { ratePerSec: 1_000, durationMs: 2_000 };
/** A CLI run is 10 s + 5 s graceful stop + start-up and audit; anything past this is a hang. */
const RUN_TIMEOUT_MS = 90_000;
const LATENESS_GOAL_MS = 5;
const OP_P99_FLOOR_MS = 10;
const OP_P99_RATIO_GOAL = 2;
const ACHIEVED_GOAL = 0.99;
const OUTSIDE_CPU_GOAL_S = 0.5;

/** Runs the reference loader in a fresh process and parses its JSON line. */
async function runReference(url: string, ratePerSec: number, durationMs: number): Promise<ReferenceResult> {
  const run = await runNodeChild({
    nodeFlags: ['--import', 'tsx'],
    args: ['bench/lib/reference-loader.ts', url, String(ratePerSec), String(durationMs)],
    timeoutMs: durationMs + 60_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || line === '') {
    throw new Error(
      `Failed to run the reference loader at ${ratePerSec}/s: it exited with ${run.code ?? run.signal}` +
        `${run.timedOut ? ' (timed out)' : ''}. Its stderr ends:\n${run.stderrTail || '(empty)'}`,
    );
  }
  const result = JSON.parse(line) as ReferenceResult;
  if (result.completed === 0)
    throw new Error(`Failed to load the mock at ${ratePerSec}/s: no reference response.`);
  return result;
}

const cpuMs = (cpu: { userMs: number; systemMs: number }) => cpu.userMs + cpu.systemMs;

/** Where the CLI's CPU went, ms: the whole process, the recorder's life, the load window. */
function cpuSplit(run: CliRun) {
  const generator: RunResult['generator'] = run.result.generator;
  const totalMs = cpuMs(run.cpu);
  const loadMs = cpuMs(generator.cpu);
  const recorderMs = generator.wholeRun ? cpuMs(generator.wholeRun.cpu) : Number.NaN;
  const window = generator.loadWindow;
  // The executors' start, on the CLI's performance.now() clock (ms since its process began):
  // how long the CLI took to start sending. Not a documented field, so read with care.
  const executors = (run.result.scenario as { executors?: Record<string, { startedAtMs?: unknown }> })
    .executors;
  const starts = Object.values(executors ?? {})
    .map((e) => e.startedAtMs)
    .filter((ms): ms is number => typeof ms === 'number');
  return {
    loadStartMs: starts.length > 0 ? Math.min(...starts) : Number.NaN,
    totalMs,
    loadMs,
    recorderMs,
    outsideMs: totalMs - loadMs,
    loadWindowMs: window ? window.toMs - window.fromMs : Number.NaN,
    recorderElapsedMs: generator.wholeRun?.elapsedMs ?? Number.NaN,
  };
}

async function measureRate(
  mock: CliMock,
  threadUrl: string,
  ratePerSec: number,
): Promise<{ rows: BenchResult[]; passed: boolean }> {
  const mockCpu0 = processCpuMs(mock.pid);
  const run = await runCliScenario({
    scenario: openScenario(`open-cold-${ratePerSec}`, ratePerSec, DURATION_MS, { getSession: 1 }),
    baseUrl: mock.baseUrl,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const mockCpu1 = processCpuMs(mock.pid);
  const ref = await runReference(threadUrl, ratePerSec, DURATION_MS);
  const mockCpu2 = processCpuMs(mock.pid);
  // The mock's CPU while each side ran: a mock near a core's worth is a bottleneck for both.
  const mockS = (a: number | null, b: number | null) =>
    a === null || b === null ? 'n/a' : `${((b - a) / 1_000).toFixed(2)} s`;

  const iterations = counterTotal(run.data, 'iterations');
  const dropped = counterTotal(run.data, 'dropped_iterations');
  const achieved = iterations / (DURATION_MS / 1_000);
  const latenessP99 = trendPercentile(run.data, 'schedule_lateness', 99);
  const opP99 = trendPercentile(run.data, 'op_duration', 99);
  const opP50 = trendPercentile(run.data, 'op_duration', 50);
  const opRatio = opP99 / ref.p99Ms;
  const failedOps = rateTrues(run.data, 'op_failed');
  const label = `${ratePerSec.toLocaleString('en-US')}/s`;
  const split = cpuSplit(run);
  process.stderr.write(
    `  ${label} harness: ${iterations} iterations, ${dropped} dropped, achieved ${achieved.toFixed(1)}/s; ` +
      `lateness p99 ${fixed(latenessP99)} ms; op_duration p50 ${fixed(opP50)} p99 ${fixed(opP99)} ms; ` +
      `exit ${run.exitCode} (${run.result.verdict ?? (run.result.passed ? 'passed' : 'failed')}); ` +
      `CPU ${(split.totalMs / 1_000).toFixed(2)} s whole process, ${(split.loadMs / 1_000).toFixed(2)} s load window; ` +
      `wall ${(run.wallMs / 1_000).toFixed(2)} s; mock CPU ${mockS(mockCpu0, mockCpu1)}; ` +
      `warnings: ${run.result.generator.warnings.join('; ') || 'none'}\n` +
      `  ${label} reference: ${ref.completed}/${ref.scheduled} done, ${ref.non2xx} non-2xx, ${ref.errors} errors, ` +
      `${ref.unfinished} unfinished; p50 ${fixed(ref.p50Ms)} p99 ${fixed(ref.p99Ms)} max ${fixed(ref.maxMs)} ms; ` +
      `send lateness p99 ${fixed(ref.sendLatenessP99Ms)} ms; CPU ${(ref.loadCpuMs / 1_000).toFixed(2)} s in the window; ` +
      `mock CPU ${mockS(mockCpu1, mockCpu2)}\n`,
  );
  // Per-second p99 from the result's series: is the tail the cold start, or the whole run?
  const perSecond = run.result.series.p99Ms.map((v) => v ?? Number.NaN);
  const rest = perSecond.slice(1, Math.round(DURATION_MS / 1_000)).filter((v) => !Number.isNaN(v));
  process.stderr.write(
    `  ${label} harness op p99 per second: first ${fixed(perSecond[0] ?? Number.NaN)} ms, ` +
      `then median ${fixed(median(rest))} max ${fixed(rest.length > 0 ? Math.max(...rest) : Number.NaN)} ms ` +
      `(series: ${perSecond.map((v) => fixed(v, 1)).join(' ')})\n`,
  );
  if (failedOps !== 0) process.stderr.write(`  ${label} note: ${failedOps} operation(s) failed\n`);
  if (ref.errors + ref.non2xx + ref.unfinished > 0) {
    process.stderr.write(`  ${label} note: the reference's p99 leaves out its failed/unfinished requests\n`);
  }

  let passed = true;
  if (ratePerSec <= 2_000) {
    passed = check(`${label} dropped`, dropped === 0, `${dropped} (goal 0)`) && passed;
    passed =
      check(
        `${label} schedule_lateness p99`,
        latenessP99 < LATENESS_GOAL_MS,
        `${fixed(latenessP99)} ms (goal < ${LATENESS_GOAL_MS} ms)`,
      ) && passed;
    passed =
      check(
        `${label} op_duration p99`,
        opP99 <= OP_P99_RATIO_GOAL * ref.p99Ms || opP99 < OP_P99_FLOOR_MS,
        `${fixed(opP99)} ms = ${fixed(opRatio)} × reference ${fixed(ref.p99Ms)} ms ` +
          `(goal ≤ ${OP_P99_RATIO_GOAL}× or < ${OP_P99_FLOOR_MS} ms)`,
      ) && passed;
  } else {
    passed =
      check(
        `${label} achieved rate`,
        achieved >= ACHIEVED_GOAL * ratePerSec,
        `${achieved.toFixed(1)}/s = ${((100 * achieved) / ratePerSec).toFixed(2)} % (goal ≥ ${ACHIEVED_GOAL * 100} %)`,
      ) && passed;
  }

  const name = `open-cold ${ratePerSec}/s`;
  const rows: BenchResult[] = [
    {
      name: `${name} achieved`,
      value: achieved,
      unit: 'it/s',
      baseline: ratePerSec,
      ratio: achieved / ratePerSec,
    },
    { name: `${name} dropped`, value: dropped, unit: 'iterations', baseline: null, ratio: null },
    { name: `${name} lateness p99`, value: latenessP99, unit: 'ms', baseline: null, ratio: null },
    { name: `${name} op_duration p99`, value: opP99, unit: 'ms', baseline: ref.p99Ms, ratio: opRatio },
  ];

  if (ratePerSec === 1_000) {
    const outsideS = split.outsideMs / 1_000;
    process.stderr.write(
      `  ${label} CPU: ${(split.totalMs / 1_000).toFixed(3)} s whole process (start to exit, ${(run.wallMs / 1_000).toFixed(2)} s wall)` +
        ` = ${(split.loadMs / 1_000).toFixed(3)} s load window (${fixed(split.loadWindowMs / 1_000)} s wall)` +
        ` + ${(split.outsideMs / 1_000).toFixed(3)} s outside it; of which ` +
        `${((split.totalMs - split.recorderMs) / 1_000).toFixed(3)} s before/after the recorder ` +
        `(process start-up, module loading, result writing, exit) and ` +
        `${((split.recorderMs - split.loadMs) / 1_000).toFixed(3)} s in the recorder's life (${fixed(split.recorderElapsedMs / 1_000)} s wall) outside the window; ` +
        `peak RSS ${(run.cpu.maxRssKb / 1_024).toFixed(1)} MB; ` +
        `the first iteration was scheduled ${fixed(split.loadStartMs / 1_000)} s after the CLI process began ` +
        `(executors' startedAtMs)\n`,
    );
    passed =
      check(
        `${label} CPU outside the load window`,
        outsideS < OUTSIDE_CPU_GOAL_S,
        `${outsideS.toFixed(3)} s (goal < ${OUTSIDE_CPU_GOAL_S} s)`,
      ) && passed;
    rows.push(
      { name: `${name} CPU outside load window`, value: outsideS, unit: 's', baseline: null, ratio: null },
      {
        name: `${name} CPU whole process`,
        value: split.totalMs / 1_000,
        unit: 's',
        baseline: null,
        ratio: null,
      },
    );
  }
  return { rows, passed };
}

const bench: Bench = {
  name: 'open-cold',
  description: `fresh CLI, constant-arrival-rate getSession ${RATES.join('/')} per s × ${DURATION_MS / 1_000} s vs a minimal open-model loader, mock in its own process`,
  async run(): Promise<BenchResult[]> {
    process.stderr.write(`  ${await ensureBuilt()}\n`);
    const mock = await startCliMock();
    try {
      const threadUrl = await createThread(mock.baseUrl);
      await runReference(threadUrl, MOCK_WARMUP.ratePerSec, MOCK_WARMUP.durationMs);
      const rows: BenchResult[] = [];
      let failed = 0;
      for (const rate of RATES) {
        const measured = await measureRate(mock, threadUrl, rate);
        rows.push(...measured.rows);
        if (!measured.passed) failed++;
      }
      process.stderr.write(
        `  open-cold: ${failed === 0 ? 'every goal met' : `${failed} rate(s) missed a goal`}\n`,
      );
      return rows;
    } finally {
      await mock.stop();
    }
  },
};

export default bench;
