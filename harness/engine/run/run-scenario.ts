import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { toClientOptions } from '../../../scenarios/model/client-settings.js';
import { type Scenario, validateScenario } from '../../../scenarios/model/scenario.js';
import type { TargetKind } from '../../../scenarios/model/target.js';
import { createNexusClient } from '../../client/client.js';
import type { NexusClientOptions } from '../../client/options.js';
import { resolveTimeouts } from '../../client/transport.js';
import { createTransport } from '../../client/transport-auto.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { lockOutDir, RESULT_FILE } from '../../util/out-dir.js';
import { type AuditReport, auditRun } from '../auditor/audit.js';
import { createRealClock } from '../clock.js';
import { runExecutors } from '../executors/run-executors.js';
import { createRecorder, type Recorder } from '../recorder/index.js';
import { createResult } from '../result/create-result.js';
import type { RunResult } from '../result/types.js';
import { evaluateThresholds, parseThresholds } from '../thresholds/index.js';
import type { EngineClock } from '../types.js';
import { clientMetricsHooks } from '../workload/client-metrics.js';
import { createWorkload } from '../workload/workload.js';
import { blindToRateLimits } from './blind-transport.js';
import { applyOverrides, type LoadOverrides } from './overrides.js';
import { type ProgressSnapshot, progressSnapshot } from './progress.js';
import { openTarget, REAL_QUOTA } from './target.js';

/** Options of {@link runScenario}; all optional. */
export interface RunOptions extends LoadOverrides {
  /** Where the load goes; default the scenario's `target` (itself `mock` by default). */
  target?: TargetKind;
  /** Base URL for `url`/`pact` targets. */
  url?: string;
  /** Allow load to a non-loopback host (and to the real API). */
  allowRemote?: boolean;
  /** For `pact`: the pact file whose interactions the Pact mock server serves. */
  pactFile?: string;
  /** Extra thresholds, merged over the scenario's (`--threshold`). */
  thresholds?: Record<string, string[]>;
  /** Folder for `result.json`; default `reports/out/<runId>`; `false` writes nothing. */
  outDir?: string | false;
  /** Stops the run gracefully (Ctrl-C): in-flight work is cut, what was measured is kept. */
  signal?: AbortSignal;
  /** Called about once a second with live figures. */
  onProgress?: (progress: ProgressSnapshot) => void;
  /** Interval of `onProgress` and of `abortOnFail` checks, ms. Default 1000. */
  progressIntervalMs?: number;
  /**
   * Deliberately break the client: it never sees `Retry-After` or `X-RateLimit-*`, has no
   * client-side limiter, and retries 429s at once. To watch the auditor catch it.
   */
  unsafeIgnoreRateLimits?: boolean;
  /** Environment (for `NEXUS_API_KEY`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  runId?: string;
}

/** What a run produced. */
export interface RunOutcome {
  result: RunResult;
  /** 0 when every threshold passed, 99 when one failed (k6's code). */
  exitCode: 0 | 99;
  /** Where `result.json` was written, or null. */
  resultPath: string | null;
}

const NEWEST_SEQ = Number.MAX_SAFE_INTEGER;

function newRunId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The client options of a run: the scenario's settings, then what the target imposes. */
function clientOptionsFor(
  scenario: Scenario,
  kind: TargetKind,
  imposed: NexusClientOptions,
  unsafe: boolean,
  baseUrl: string,
): NexusClientOptions {
  const options: NexusClientOptions = { ...toClientOptions(scenario.client), ...imposed };
  if (kind === 'mock' || kind === 'msw') options.rateLimit = budgetsOfMock(scenario);
  if (kind === 'real') {
    // The real quota is a ceiling: the scenario may ask for less, never for more.
    const own = scenario.client.rateLimit || {};
    const clamp = (
      w: { limit: number; windowMs: number } | false | undefined,
      real: { limit: number; windowMs: number },
    ) => (w && w.limit / w.windowMs < real.limit / real.windowMs ? w : real);
    options.rateLimit = {
      ...own,
      perMinute: clamp(own.perMinute, REAL_QUOTA.perMinute),
      perHour: clamp(own.perHour, REAL_QUOTA.perHour),
    };
  }
  if (unsafe) {
    options.transport = blindToRateLimits(
      createTransport(
        imposed.transport === 'fetch' ? 'fetch' : 'auto',
        new URL(baseUrl).origin,
        options.pool ?? {},
        resolveTimeouts(options.timeouts),
      ),
    );
    options.rateLimit = { perMinute: false, perHour: false, maxConcurrent: 10_000, fallbackPauseMs: 0 };
    options.retry = {
      ...options.retry,
      maxAttempts: 50,
      maxRateLimitedAttempts: 49,
      budget: false,
      backoff: { baseMs: 5, capMs: 50 },
    };
  }
  return options;
}

/**
 * Against the harness's own mock the client's budgets default to the limits the mock
 * enforces (none when its limits are off), instead of the real API's quota; what the
 * scenario sets explicitly wins.
 */
function budgetsOfMock(scenario: Scenario): NexusClientOptions['rateLimit'] {
  const own = scenario.client.rateLimit;
  if (own === false) return false;
  const limits = scenario.mock.limits;
  return {
    ...own,
    perMinute: own?.perMinute ?? (limits === false ? false : limits.perMinute),
    perHour: own?.perHour ?? (limits === false ? false : limits.perHour),
  };
}

/** Records the auditor's findings as metrics, so thresholds (and so the exit code) can judge them. */
function recordAudit(recorder: Recorder, report: AuditReport): void {
  recorder.counter('duplicates', {}).add(report.duplicates.count);
  recorder.counter('lost', {}).add(report.lost.count);
  recorder.counter('retry_after_violations', {}).add(report.retryAfterViolations.count);
  recorder.gauge('retry_amplification', {}).set(report.retryAmplification);
}

/** Runs `tick` every `ms` until the returned stop function is called. */
function every(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs a scenario end to end: opens the target (starting the local mock by default), drives
 * the executors through the client, audits against the mock's ledger, evaluates thresholds,
 * and writes the result document. Usable from a test:
 *
 * @example
 * const { result, exitCode } = await runScenario(smoke, { durationMs: 2_000, outDir: false });
 * expect(exitCode).toBe(0);
 * expect(result.audit).toMatchObject({ duplicates: { count: 0 } });
 */
export async function runScenario(input: unknown, options: RunOptions = {}): Promise<RunOutcome> {
  const scenario = applyOverrides(validateScenario(input), options);
  const thresholdSpec = { ...scenario.thresholds, ...options.thresholds };
  const parsedThresholds = parseThresholds(thresholdSpec);
  const kind = options.target ?? scenario.target;
  const runId = options.runId ?? newRunId();
  // Checked and claimed before the target opens: a bad folder fails fast, a shared one is refused.
  const out =
    options.outDir === false
      ? null
      : await lockOutDir(options.outDir ?? join('reports', 'out', runId), 'outDir (--out)');
  const target = await openTarget({
    kind,
    url: options.url ?? scenario.url,
    mock: scenario.mock,
    allowRemote: options.allowRemote,
    pactFile: options.pactFile,
    env: options.env,
  }).catch(async (err: unknown) => {
    await out?.release();
    throw err;
  });
  const startedAt = new Date();
  const clock: EngineClock = createRealClock();
  const recorder = createRecorder({ clock });
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let abortedBy: string | null = null;
  try {
    const startSeq = target.readLedger ? (await target.readLedger(NEWEST_SEQ)).lastSeq : 0;
    // Operations as the client counts them (each poll of waitForReply is one): the
    // denominator of retry amplification.
    let clientOperations = 0;
    const client = createNexusClient({
      ...clientOptionsFor(
        scenario,
        kind,
        target.clientOptions,
        options.unsafeIgnoreRateLimits ?? false,
        target.baseUrl,
      ),
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      hooks: {
        ...clientMetricsHooks(recorder, {}),
        onOperationStart: () => {
          clientOperations++;
        },
      },
    });
    const workload = createWorkload({
      workload: scenario.workload,
      client,
      sink: recorder,
      clock,
      seed: scenario.seed,
      runTag: runId,
    });
    const totalMs = plannedLengthMs(scenario);
    const stopTicking = every(options.progressIntervalMs ?? 1_000, () => {
      const outcomes = evaluateThresholds(parsedThresholds, recorder.metrics(), recorder.elapsedMs() / 1_000);
      const failing = outcomes.find((o) => o.abort);
      if (failing && abortedBy === null) {
        abortedBy = `threshold ${failing.metric}: ${failing.expression} failed (abortOnFail)`;
        stop.abort(new Error(abortedBy));
      }
      options.onProgress?.(progressSnapshot(recorder, totalMs));
    });
    let executors: Awaited<ReturnType<typeof runExecutors>>;
    try {
      executors = await runExecutors(scenario.executors, workload.iteration, recorder, clock, stop.signal);
    } finally {
      stopTicking();
      await client.close();
    }
    let audit: AuditReport | null = null;
    if (target.readLedger) {
      audit = auditRun({
        ledger: await target.readLedger(startSeq),
        keyId: target.keyId,
        operations: workload.effectfulCalls(),
        operationCount: clientOperations,
      });
      recordAudit(recorder, audit);
    }
    recorder.stop();
    const thresholds = evaluateThresholds(parsedThresholds, recorder.metrics(), recorder.elapsedMs() / 1_000);
    const result = createResult({
      runId,
      startedAt,
      interrupted: stop.signal.aborted,
      scenario: {
        name: scenario.name,
        description: scenario.description,
        resolved: scenario,
        executors,
        abortedBy,
      },
      target: target.describe(),
      audit,
      recorder,
      thresholds,
    });
    const resultPath = out === null ? null : await writeResult(result, out.dir);
    return { result, exitCode: result.passed ? 0 : 99, resultPath };
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    recorder.stop();
    await target.close();
    await out?.release();
  }
}

/** The run's planned length by its executors' schedules, ms (for "time left"). */
function plannedLengthMs(scenario: Scenario): number {
  let longest = 0;
  for (const e of Object.values(scenario.executors)) {
    const own =
      'duration' in e
        ? e.duration
        : 'stages' in e
          ? e.stages.reduce((s, x) => s + x.duration, 0)
          : e.maxDuration;
    longest = Math.max(longest, e.startTime + own);
  }
  return longest;
}

/** Writes `result.json` atomically into `dir` (made and locked by `lockOutDir`): never a half-written file. */
async function writeResult(result: RunResult, dir: string): Promise<string> {
  const path = resolve(dir, RESULT_FILE);
  await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
