/**
 * The recorder's hot path and its memory, with the baselines measured in the same run.
 *
 * (a) Cost per operation: one operation records what the workload records for it —
 *     `op_duration` and `http_req_duration` (trends), `ops` and `http_reqs` (counters),
 *     `op_failed` (rate) — through handles obtained beforehand, for 1,000,000 operations
 *     spread over 25 tag sets (5 ops × 5 status classes). Baseline: the same 2,000,000
 *     values written straight into 2 × 25 bare hdr-histogram-js histograms with
 *     `recordValue` (the floor for two HDR trends); the ratio recorder/raw is the overhead
 *     of the recorder (lower is better; 1.0 = free). A bare `Float64Array` write loop over
 *     the same values is shown for scale. Sides alternate over ROUNDS rounds, order flipping
 *     each round; the median round counts (a 2-core machine is noisy).
 * (b) RSS growth over 1,000,000 recorded operations with realistic cardinality (8 metrics,
 *     5 ops × 5 status classes; 55 HDR histograms), on a virtual clock at 2,000 op/s (500 s
 *     of series), measured in a fresh child process after a forced GC before and after.
 *     Goal < 50 MB.
 * Also: the time to encode that recorder as result metrics, and to evaluate five thresholds
 * over its live data (what run orchestration does periodically for abortOnFail; median of 7).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build, type Histogram } from 'hdr-histogram-js';
import { createRecorder, type Recorder } from '../harness/engine/recorder/index.js';
import { snapshotToResultMetrics } from '../harness/engine/result/index.js';
import { evaluateThresholds, parseThresholds } from '../harness/engine/thresholds/index.js';
import type { CounterHandle, RateHandle, TrendHandle } from '../harness/engine/types.js';
import type { Bench, BenchResult } from './lib/types.js';

const OPERATIONS = 1_000_000;
const ROUNDS = 5;
const OPS = ['create_session', 'send_message', 'wait_reply', 'poll', 'conversation'];
const STATUSES = ['2xx', '4xx', '429', '5xx', 'network'];
const TAG_SETS = OPS.length * STATUSES.length;
const CHILD_ENV = 'NEXUS_RECORDER_BENCH_CHILD';

/** Seeded, so every run records the same values: latencies ~ 1 ms + exponential(mean 20 ms). */
function workload(n: number): { ms: Float64Array; tagSet: Uint8Array } {
  let state = 0x2545f491;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const ms = new Float64Array(n);
  const tagSet = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    ms[i] = 1 + -Math.log(1 - random()) * 20;
    // Mostly 2xx, as a healthy run: 85 % 2xx, the rest spread over the other classes.
    const op = Math.floor(random() * OPS.length);
    const r = random();
    const status = r < 0.85 ? 0 : 1 + Math.floor(((r - 0.85) / 0.15) * (STATUSES.length - 1));
    tagSet[i] = op * STATUSES.length + Math.min(status, STATUSES.length - 1);
  }
  return { ms, tagSet };
}

interface Handles {
  opDuration: TrendHandle[];
  httpDuration: TrendHandle[];
  ops: CounterHandle[];
  httpReqs: CounterHandle[];
  opFailed: RateHandle[];
  queueTime: TrendHandle[];
  rateLimited: CounterHandle[];
  retries: CounterHandle[];
}

/** Every handle the workload would hold, obtained once per (metric, tag set). */
function handles(recorder: Recorder): Handles {
  const h: Handles = {
    opDuration: [],
    httpDuration: [],
    ops: [],
    httpReqs: [],
    opFailed: [],
    queueTime: [],
    rateLimited: [],
    retries: [],
  };
  for (const op of OPS) {
    for (const status of STATUSES) {
      const tags = { op, status };
      h.opDuration.push(recorder.trend('op_duration', tags));
      h.httpDuration.push(recorder.trend('http_req_duration', tags));
      h.ops.push(recorder.counter('ops', tags));
      h.httpReqs.push(recorder.counter('http_reqs', tags));
    }
    h.opFailed.push(recorder.rate('op_failed', { op }));
    h.queueTime.push(recorder.trend('queue_time', { op }));
    h.rateLimited.push(recorder.counter('rate_limited', { op }));
    h.retries.push(recorder.counter('retries', { op }));
  }
  return h;
}

function virtualRecorder(): { recorder: Recorder; setNow(ms: number): void } {
  let now = 0;
  const recorder = createRecorder({ clock: { now: () => now }, tickMs: false, health: false });
  return {
    recorder,
    setNow(ms) {
      now = ms;
    },
  };
}

/** (a) The recorder: one operation's five samples through handles. Returns ns per operation. */
function timeRecorder(w: { ms: Float64Array; tagSet: Uint8Array }): number {
  const { recorder } = virtualRecorder();
  const h = handles(recorder);
  const { opDuration, httpDuration, ops, httpReqs, opFailed } = h;
  const { ms, tagSet } = w;
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPERATIONS; i++) {
    const k = tagSet[i]!;
    const v = ms[i]!;
    opDuration[k]!.record(v);
    httpDuration[k]!.record(v * 0.8);
    ops[k]!.add();
    httpReqs[k]!.add();
    opFailed[(k / STATUSES.length) | 0]!.add(k % STATUSES.length >= 3);
  }
  const ns = Number(process.hrtime.bigint() - started);
  recorder.stop();
  return ns / OPERATIONS;
}

function bareHistograms(): Histogram[] {
  return Array.from({ length: TAG_SETS }, () =>
    build({
      bitBucketSize: 32,
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    }),
  );
}

/** (a) Baseline: the same two values per operation straight into bare HDR histograms. */
function timeRawHdr(w: { ms: Float64Array; tagSet: Uint8Array }): number {
  const a = bareHistograms();
  const b = bareHistograms();
  const { ms, tagSet } = w;
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPERATIONS; i++) {
    const k = tagSet[i]!;
    const v = ms[i]!;
    a[k]!.recordValue(Math.round(v * 1_000));
    b[k]!.recordValue(Math.round(v * 800));
  }
  return Number(process.hrtime.bigint() - started) / OPERATIONS;
}

/** For scale: two plain typed-array writes per operation. */
function timeFloat64Array(w: { ms: Float64Array; tagSet: Uint8Array }): number {
  const a = new Float64Array(OPERATIONS);
  const b = new Float64Array(OPERATIONS);
  const { ms } = w;
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPERATIONS; i++) {
    const v = ms[i]!;
    a[i] = v;
    b[i] = v * 0.8;
  }
  const ns = Number(process.hrtime.bigint() - started);
  if (a[OPERATIONS - 1] === -1 || b[0] === -1) process.stderr.write(''); // keep the writes observable
  return ns / OPERATIONS;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** A `gc()` function: exposed by flag in the child, or switched on here. */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface MemoryFigures {
  rssGrowthMb: number;
  peakRssGrowthMb: number;
  heapGrowthMb: number;
  cells: number;
  encodeMs: number;
  thresholdsMs: number;
}

/** One realistic operation after another: what the workload records per operation, 2,000 op/s of virtual time. */
function recordSession(
  session: ReturnType<typeof virtualRecorder>,
  w: { ms: Float64Array; tagSet: Uint8Array },
  n: number,
  onProgress: (i: number) => void = () => {},
): void {
  const { recorder, setNow } = session;
  const h = handles(recorder);
  const { ms, tagSet } = w;
  for (let i = 0; i < n; i++) {
    const k = tagSet[i]!;
    const op = (k / STATUSES.length) | 0;
    const status = k % STATUSES.length;
    const v = ms[i]!;
    h.queueTime[op]!.record(v * 0.1);
    h.httpDuration[k]!.record(v * 0.8);
    h.httpReqs[k]!.add();
    if (status === 2) {
      h.rateLimited[op]!.add();
      h.retries[op]!.add();
    }
    h.opDuration[k]!.record(v);
    h.ops[k]!.add();
    h.opFailed[op]!.add(status >= 3);
    if (i % 200 === 0) {
      setNow(i / 2); // 2,000 op/s → 0.5 ms per operation; a tick every 100 virtual ms
      recorder.tick();
    }
    if (i % 100_000 === 0) onProgress(i);
  }
  recorder.stop();
}

interface MemoryFigures {
  rssGrowthMb: number;
  peakRssGrowthMb: number;
  heapGrowthMb: number;
  arrayBuffersGrowthMb: number;
  cells: number;
  encodeMs: number;
  thresholdsMs: number;
}

/** (b) In the child: 1,000,000 operations at realistic cardinality on a virtual clock. */
function measureMemory(): MemoryFigures {
  const gc = gcFunction();
  const w = workload(OPERATIONS);
  const thresholds = parseThresholds({
    op_duration: ['p(99)<500'],
    'op_duration{op:send_message}': ['p(95)<200', 'avg<100'],
    op_failed: ['rate<0.5'],
    http_reqs: ['rate>10'],
  });
  // Warm-up on a second recorder, kept alive to the end so that it counts in both readings
  // (freeing it would overlap the measured recorder's allocations): JIT code and start-up
  // garbage are not the recorder's growth.
  const warm = virtualRecorder();
  recordSession(warm, w, 100_000);
  for (let i = 0; i < 3; i++) gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const session = virtualRecorder();
  recordSession(session, w, OPERATIONS, () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  const { recorder } = session;
  for (let i = 0; i < 3; i++) gc();
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  let started = performance.now();
  const metrics = snapshotToResultMetrics(recorder);
  const encodeMs = performance.now() - started;
  // Periodic mid-run evaluation: the median of 7 (the first pays for JIT compilation).
  let outcomes: ReturnType<typeof evaluateThresholds> = [];
  const evaluations: number[] = [];
  for (let i = 0; i < 7; i++) {
    started = performance.now();
    outcomes = evaluateThresholds(thresholds, recorder.metrics(), recorder.elapsedMs() / 1_000);
    evaluations.push(performance.now() - started);
  }
  const thresholdsMs = median(evaluations);
  if (Object.keys(metrics).length === 0 || outcomes.length !== 5 || warm.recorder.metrics().length === 0) {
    throw new Error('recorder bench: nothing recorded');
  }
  const mb = (bytes: number) => bytes / 1_048_576;
  return {
    rssGrowthMb: mb(after.rss - before.rss),
    peakRssGrowthMb: mb(peakRss - before.rss),
    heapGrowthMb: mb(after.heapUsed - before.heapUsed),
    arrayBuffersGrowthMb: mb(after.arrayBuffers - before.arrayBuffers),
    cells: recorder.metrics().length,
    encodeMs,
    thresholdsMs,
  };
}

/** Runs {@link measureMemory} in a fresh child process (this file, with tsx and --expose-gc). */
function memoryInChild(): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_ENV]: '1' },
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: MemoryFigures | null = null;
    child.on('message', (message) => {
      figures = message as MemoryFigures;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (figures) resolve(figures);
      else
        reject(new Error(`Failed to measure recorder memory: the child process exited with code ${code}.`));
    });
  });
}

if (process.env[CHILD_ENV] === '1' && process.send) {
  process.send(measureMemory(), () => process.exit(0));
}

const round = (x: number, digits = 3) => +x.toFixed(digits);

const bench: Bench = {
  name: 'recorder',
  description: `recorder cost per operation vs raw hdr-histogram-js, and RSS over ${OPERATIONS.toLocaleString('en-US')} operations`,
  async run(): Promise<BenchResult[]> {
    const memory = await memoryInChild();
    process.stderr.write(
      `  memory: RSS +${memory.rssGrowthMb.toFixed(1)} MB (peak +${memory.peakRssGrowthMb.toFixed(1)} MB), ` +
        `heap +${memory.heapGrowthMb.toFixed(1)} MB, array buffers +${memory.arrayBuffersGrowthMb.toFixed(1)} MB, ` +
        `${memory.cells} cells; encode ${memory.encodeMs.toFixed(0)} ms, ` +
        `thresholds ${memory.thresholdsMs.toFixed(1)} ms\n`,
    );

    const w = workload(OPERATIONS);
    timeRecorder(w); // warm-up: JIT
    timeRawHdr(w);
    timeFloat64Array(w);
    const recorderNs: number[] = [];
    const rawNs: number[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      if (r % 2 === 1) {
        recorderNs.push(timeRecorder(w));
        rawNs.push(timeRawHdr(w));
      } else {
        rawNs.push(timeRawHdr(w));
        recorderNs.push(timeRecorder(w));
      }
      process.stderr.write(
        `  round ${r}: recorder ${recorderNs.at(-1)!.toFixed(1)} ns/op, raw hdr ${rawNs.at(-1)!.toFixed(1)} ns/op\n`,
      );
    }
    const typedNs = median([timeFloat64Array(w), timeFloat64Array(w), timeFloat64Array(w)]);
    const rec = median(recorderNs);
    const raw = median(rawNs);
    return [
      {
        name: 'recorder cost per operation (5 samples)',
        value: round(rec, 1),
        unit: 'ns/op',
        baseline: round(raw, 1),
        ratio: round(rec / raw, 3),
      },
      {
        name: 'recorder cost per sample',
        value: round(rec / 5, 1),
        unit: 'ns/sample',
        baseline: null,
        ratio: null,
      },
      {
        name: 'recorder vs Float64Array writes (2 per op)',
        value: round(rec, 1),
        unit: 'ns/op',
        baseline: round(typedNs, 2),
        ratio: round(rec / typedNs, 1),
      },
      {
        name: 'recorder RSS growth, 1M operations',
        value: round(memory.rssGrowthMb, 1),
        unit: 'MB',
        baseline: null,
        ratio: null,
      },
      {
        name: 'recorder peak RSS growth, 1M operations',
        value: round(memory.peakRssGrowthMb, 1),
        unit: 'MB',
        baseline: null,
        ratio: null,
      },
      {
        name: 'recorder heap + array buffers growth, 1M operations',
        value: round(memory.heapGrowthMb + memory.arrayBuffersGrowthMb, 1),
        unit: 'MB',
        baseline: null,
        ratio: null,
      },
      {
        name: `recorder encode result metrics (${memory.cells} cells)`,
        value: round(memory.encodeMs, 1),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
      {
        name: 'recorder evaluate 5 thresholds (live data)',
        value: round(memory.thresholdsMs, 2),
        unit: 'ms',
        baseline: null,
        ratio: null,
      },
    ];
  },
};

export default bench;
