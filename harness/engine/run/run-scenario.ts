import { executorTiming } from '../../../scenarios/model/executors/executor-config.js';
import { type Scenario, validateScenario } from '../../../scenarios/model/scenario.js';
import { type ExecutionSegment, segmentOf } from '../../../scenarios/model/segments.js';
import { createNexusClient } from '../../client/client.js';
import type { ClientHooks } from '../../client/hooks.js';
import type { RedisClusterOptions } from '../../client/limiter.js';
import type { NexusClientOptions } from '../../client/options.js';
import { DEFAULT_POOL } from '../../client/options-schema.js';
import { raceSignal } from '../../client/sleep.js';
import { resolveTimeouts } from '../../client/transport.js';
import { createTransport } from '../../client/transport-auto.js';
import { UsageError } from '../../util/errors.js';
import { formatNumber } from '../../util/format-number.js';
import { secretsFromEnv } from '../../util/redact.js';
import type { AuditReport } from '../auditor/audit.js';
import { createRealClock } from '../clock.js';
import { demandedIterations } from '../executors/demand.js';
import { preparedVus } from '../executors/prepared-vus.js';
import { runExecutors } from '../executors/run-executors.js';
import { createRecorder, type Recorder } from '../recorder/index.js';
import { createResult } from '../result/create-result.js';
import type { RunResult } from '../result/types.js';
import { AUDIT_METRICS, evaluateThresholds, parseThresholds } from '../thresholds/index.js';
import { type EngineClock, metricCatalogue } from '../types.js';
import { chatConnections, createChatSender } from '../workload/chat-sender.js';
import { type ClientMetricsHooks, clientMetricsHooks } from '../workload/client-metrics.js';
import { reasonOf } from '../workload/reason-tally.js';
import { createScriptedWorkload } from '../workload/scripted-workload.js';
import { createWorkload, type RunnableWorkload } from '../workload/workload.js';
import { blindToRateLimits } from './blind-transport.js';
import {
  allowedRequests,
  capacityWarning,
  clientOptionsFor,
  NO_BUDGETS,
  type RunBudgets,
  runBudgets,
} from './client-budgets.js';
import { completionOf, recordCompletion, withDefaultThresholds } from './completion.js';
import { createLateSink } from './late-sink.js';
import { applyOverrides, type LoadOverrides } from './overrides.js';
import { type ProgressSnapshot, progressSnapshot, type RunPhase } from './progress.js';
import { createRunAudit } from './run-audit.js';
import { newRunId } from './run-id.js';
import { noSetup, runSetup, withoutSetupTraffic } from './setup-phase.js';
import type { Target } from './target.js';

/** Options of {@link runScenario}: where the load goes (`target`), and what may change about the run. */
export interface RunOptions extends LoadOverrides {
  /**
   * Where the load goes (`harness/targets/`: `mockTarget()`, `urlTarget({ url })`, …, or
   * `targetFor(scenario.target)`). The run opens it at its start and closes it at its end.
   */
  target: Target;
  /** Extra thresholds (`--threshold`), added to the scenario's: its own on the same metric still apply. */
  thresholds?: Record<string, string[]>;
  /**
   * Stops the run (Ctrl-C, SIGTERM): executors stop at once, in-flight iterations are cut and
   * counted as interrupted, and the run ends within about 2 s with what it measured.
   */
  signal?: AbortSignal;
  /** Called about once a second with live figures, until the run has ended. */
  onProgress?: (progress: ProgressSnapshot) => void;
  /**
   * Called at most once a second while the run lives, on the progress tick, with a way to take
   * a partial result (the metrics, series, thresholds and notices so far; for a live view).
   * Taking one encodes every histogram (about a millisecond per trend tag set), so take it
   * only when someone watches.
   */
  onSnapshot?: (take: () => RunResult) => void;
  /**
   * Called with each notice for people as it arises: the client's budgets at the start, a rate
   * the target cannot carry, operations held in the client, an audit that could not be done.
   * The same texts are in the result's `notices`.
   */
  onNotice?: (text: string) => void;
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
  /**
   * Run only this segment of the scenario (after the overrides; see `segmentOf`): one process
   * of a run split over several. Its siblings share the target, so the run never compacts the
   * mock's ledger (that would release entries a sibling has not read yet, a gap in its audit),
   * and the result records the segment and the whole scenario (`scenario.segment`,
   * `scenario.whole`) for `mergeResults`.
   */
  segment?: ExecutionSegment;
  /**
   * Share the client's budgets with other processes through Redis (bottleneck's clustering:
   * one reservoir per limiter id, 429 pauses broadcast). The run waits for the connection
   * before its clock starts (at most 5 s, then it fails).
   */
  redis?: RedisClusterOptions;
}

/** How long the client may take to settle after the executors ended (they already cut every iteration). */
const CLIENT_CLOSE_BOUND_MS = 1_000;
/** Bound on a target's own report at the end of the load (`loadEnded`), ms. */
const TARGET_REPORT_BOUND_MS = 2_000;
/** Bound on one read of a remote mock's ledger, ms; the last read may take this long too. */
const LEDGER_READ_BOUND_MS = 3_000;
/** The same bound once the run has been stopped: a signal promises an end within about 2 s. */
const STOPPED_LEDGER_READ_BOUND_MS = 1_000;
/**
 * Most warm-up reads of a run without a budget. Measured with `npm run bench -- open-cold`
 * (1,000/s, 50 VUs, from a fresh process): 64 reads left `op_duration` p99 at 55–80 ms, all of
 * it the first second's JIT; 640 brought it to 7–8 ms, for ~0.3 s of setup on loopback. With
 * the bundled bin, 200 (4 per VU) give the same first-second p99 as 400 (4.0 against 4.5 ms,
 * medians of 3 side by side) for half the setup (44 against 94 ms), all of it CPU outside the
 * load window.
 */
const WARM_UP_READS = 512;
/** Warm-up reads per prepared VU: a run of a few VUs never loads its own generator. */
const WARM_UP_READS_PER_VU = 4;

/** Warm-up reads for `scenario`: 4 per prepared VU, at least two per lane, at most 512. */
function warmUpReads(scenario: Scenario, lanes: number): number {
  let vus = 0;
  for (const config of Object.values(scenario.executors)) vus += preparedVus(config);
  return Math.min(WARM_UP_READS, Math.max(2 * lanes, WARM_UP_READS_PER_VU * vus));
}
/** How long a run waits for its Redis connection (`redis`) before it fails, ms. */
const REDIS_READY_BOUND_MS = 5_000;

/** Where a Redis connection goes, for messages: host and port (never the password). */
function redisWhere(redis: RedisClusterOptions | undefined): string {
  const c = redis?.connection;
  return `${c?.host ?? '127.0.0.1'}:${c?.port ?? 6379}`;
}

/** The client options with the budgets shared through Redis, when asked and when there is a limiter. */
function withRedis(options: NexusClientOptions, redis: RedisClusterOptions | undefined): NexusClientOptions {
  if (redis === undefined || options.rateLimit === false) return options;
  return { ...options, rateLimit: { ...options.rateLimit, redis } };
}
/** An attempt that waited this long in the client counts as held back by the budget. */
const HELD_MS = 1_000;

/** `promise`, or a rejection naming `what` after `ms`. The timer does not hold the process. */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** `--unsafe-ignore-rate-limits`: the client made blind to rate limits, on purpose. */
function blindClientOptions(
  options: NexusClientOptions,
  baseUrl: string,
  fetchTransport: boolean,
): NexusClientOptions {
  return {
    ...options,
    transport: blindToRateLimits(
      createTransport(
        fetchTransport ? 'fetch' : 'auto',
        new URL(baseUrl).origin,
        options.pool ?? {},
        resolveTimeouts(options.timeouts),
      ),
    ),
    rateLimit: { perMinute: false, perHour: false, maxConcurrent: 10_000, fallbackPauseMs: 0 },
    retry: {
      ...options.retry,
      maxAttempts: 50,
      maxRateLimitedAttempts: 49,
      budget: false,
      backoff: { baseMs: 5, capMs: 50 },
    },
  };
}

/** Records the auditor's findings as metrics, so thresholds (and so the exit code) can judge them. */
function recordAudit(recorder: Recorder, report: AuditReport): void {
  recorder.counter('duplicates', {}).add(report.duplicates.count);
  recorder.counter('lost', {}).add(report.lost.count);
  recorder.counter('retry_after_violations', {}).add(report.retryAfterViolations.count);
  recorder.gauge('retry_amplification', {}).set(report.retryAmplification);
}

/** 429 responses the recorder counted so far (the `rate_limited` counter over every op). */
function rateLimitedResponses(recorder: Recorder): number {
  let total = 0;
  for (const data of recorder.metrics()) {
    if (data.name === 'rate_limited' && data.kind === 'counter') total += data.count;
  }
  return total;
}

/** Runs `tick` every `ms` until the returned stop function is called. */
function every(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

const secs = (ms: number) => formatNumber(ms / 1_000, 1);

/** The notice for attempts the client held back, naming what allows how much. */
function heldNotice(
  held: { count: number; maxMs: number },
  cut: { count: number; maxMs: number },
  why: {
    budgets: RunBudgets;
    lengthMs: number;
    announcedLimit: number | null;
    rateLimited: number;
    maxConcurrent: number;
  },
): string {
  const allowed = allowedRequests(why.budgets, why.lengthMs);
  const answered429 = why.rateLimited > 0 ? ` and answered ${why.rateLimited} request(s) with 429` : '';
  const allows = Number.isFinite(allowed)
    ? `the client's budget lets ${formatNumber(allowed)} requests through in ${secs(why.lengthMs)} s (${why.budgets.text})`
    : why.announcedLimit !== null
      ? `the target announced a limit of ${why.announcedLimit} requests per window (X-RateLimit-Limit)${answered429}`
      : why.rateLimited > 0
        ? `the target answered ${why.rateLimited} request(s) with 429`
        : `at most ${why.maxConcurrent} attempts are on the wire at once (client.rateLimit.maxConcurrent), and earlier ones were slow to finish`;
  const parts: string[] = [];
  if (held.count > 0) {
    parts.push(
      `the client held ${held.count} attempt(s) for up to ${secs(held.maxMs)} s before sending them`,
    );
  }
  if (cut.count > 0) {
    parts.push(
      `${cut.count} attempt(s) waited up to ${secs(cut.maxMs)} s and were still in the client when the run ended (cut off, never sent)`,
    );
  }
  return `${parts.join(', and ')}: ${allows}`;
}

/**
 * Runs a scenario end to end and returns its result: opens the target, drives the executors
 * through the client, audits against the mock's ledger (when the target has one) and judges
 * the thresholds. It writes no file and prints nothing: progress and notices go to the
 * callbacks, and the result's `verdict` says how it went (the CLI turns it into an exit code
 * and writes `result.json`). A run ends by its executors' `duration + gracefulStop` (plus
 * about a second for the client to settle), whatever still waits in the client; a signal ends
 * it within about 2 s.
 *
 * @example
 * const result = await runScenario(smoke, { target: mockTarget(), durationMs: 2_000 });
 * expect(result.verdict).toBe('passed');
 * expect(result.audit).toMatchObject({ duplicates: { count: 0 } });
 */
export async function runScenario(input: unknown, options: RunOptions): Promise<RunResult> {
  const whole = applyOverrides(validateScenario(input), options);
  const segment = options.segment;
  const scenario =
    segment === undefined
      ? whole
      : validateScenario(
          segmentOf(whole, segment.index, segment.count),
          `segment ${segment.index}/${segment.count} of scenario ${whole.name}`,
        );
  const anyDemand = Object.values(scenario.executors).some((e) => demandedIterations(e) !== null);
  const thresholdSpec = withDefaultThresholds(
    addThresholds(scenario.thresholds, options.thresholds),
    anyDemand,
  );
  // A scenario's custom metrics are declared, so thresholds on them are checked now, as k6 does.
  const parsedThresholds = parseThresholds(thresholdSpec, metricCatalogue(scenario.metrics));
  const runId = options.runId ?? newRunId();
  if ((scenario.workload?.mix.chat ?? 0) > 0 && options.target.kind !== 'app') {
    throw new UsageError(
      `Scenario ${scenario.name}'s mix has the chat op, which posts to the chat app: run it with --target app (target ${options.target.kind} has no app).`,
    );
  }
  const target = await options.target.open({
    mock: scenario.mock,
    app: scenario.app,
    env: options.env ?? process.env,
  });
  // Everything from here on is inside the try: whatever throws, the target is closed.
  let recorder: Recorder | null = null;
  let stopTicking = () => {};
  let onOuterAbort: (() => void) | null = null;
  try {
    const kind = target.kind;
    const notices: string[] = [];
    // The caller's callbacks must not break the run (or leave the target open): a throw is
    // swallowed, and said once in the result's notices.
    const onNotice = guardCallback(options.onNotice, 'onNotice', notices);
    const onProgress = guardCallback(options.onProgress, 'onProgress', notices);
    const onSnapshot = guardCallback(options.onSnapshot, 'onSnapshot', notices);
    const notice = (text: string) => {
      notices.push(text);
      onNotice?.(text);
    };
    const unsafe = options.unsafeIgnoreRateLimits ?? false;
    const budgets =
      target.clientOptions.rateLimit === false || unsafe ? NO_BUDGETS : runBudgets(scenario, target.budgets);
    notice(
      unsafe
        ? 'client budgets: none, and the client is blind to 429s (--unsafe-ignore-rate-limits)'
        : `client budgets: ${budgets.text}`,
    );
    const capacity = unsafe ? null : capacityWarning(scenario, budgets);
    if (capacity !== null) notice(capacity);
    if (!target.usesScenarioMock && scenario.mock.faults.length > 0) {
      notice(
        `the scenario's mock.faults (${scenario.mock.faults.length}) are not applied: they configure the harness's own mock, and --target ${kind} is not it`,
      );
    }

    const clock: EngineClock = createRealClock();
    // Nothing is measured until the setup is over: the workload's handles are made on this
    // sink once the recorder exists, and the client's metric hooks are swapped in then.
    const sink = createLateSink();
    let measuring = false;
    let setupAttempts = 0;
    let setupRateLimited = 0;
    // Of those, the attempts under an op id (VU sessions; warm-up reads have none): what a
    // segment's audit, which counts only its own op ids' requests, has of the setup.
    const setupTagged = { requests: 0, rateLimited: 0 };
    const stopWarmUp = new AbortController();
    let metricsHooks: ClientHooks & Partial<Pick<ClientMetricsHooks, 'errorExamples'>> = {};
    const stop = new AbortController();
    onOuterAbort = () => stop.abort(options.signal?.reason);
    if (options.signal?.aborted) onOuterAbort();
    else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let abortedBy: string | null = null;
    let watch =
      target.readLedger === null
        ? null
        : createRunAudit({
            read: (since) =>
              bounded(target.readLedger!(since), LEDGER_READ_BOUND_MS, "reading the mock's ledger"),
            // A segment's siblings read the same ledger: releasing it would blind them.
            compact: segment === undefined ? target.compactLedger : undefined,
            keyId: target.keyId,
            opIdPrefix: `${runId}.`,
            // A segment's siblings send on the same key: its audit is of its own requests.
            ownRequestsOnly: segment !== undefined,
          });
    let noAudit = target.readLedger === null ? 'this target has no ledger' : null;
    try {
      await watch?.start();
    } catch (err) {
      noAudit = `the mock's ledger could not be read (${(err as Error).message})`;
      notice(`no audit: ${noAudit}`);
      watch = null;
    }
    // The ledger is read in pages as the run goes (audited, then compacted on the mock), so the
    // end is cheap and a restart of a mock in another process shows as a gap.
    const followLedger = watch !== null;
    // Operations as the client counts them (each poll of waitForReply is one): the
    // denominator of retry amplification.
    let clientOperations = 0;
    let opsInFlight = 0;
    let heldAttempts = 0;
    let heldMaxMs = 0;
    // Attempts that never left the client because the run ended (or was stopped) first.
    let cutInClient = 0;
    let cutMaxMs = 0;
    const baseOptions = withRedis(clientOptionsFor(scenario, target.clientOptions, budgets), options.redis);
    const client = createNexusClient({
      ...(unsafe
        ? blindClientOptions(baseOptions, target.baseUrl, target.clientOptions.transport === 'fetch')
        : baseOptions),
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      hooks: {
        onAttemptEnd: (event) => {
          if (measuring) metricsHooks.onAttemptEnd?.(event);
          else {
            setupAttempts++;
            if (event.op.opId !== undefined) {
              setupTagged.requests++;
              if (event.status === 429) setupTagged.rateLimited++;
            }
            if (event.status === 429) {
              setupRateLimited++;
              stopWarmUp.abort();
            }
          }
        },
        onRetryScheduled: (event) => metricsHooks.onRetryScheduled?.(event),
        onOperationStart: () => {
          // The setup's operations are not the load's: retry amplification is of the load.
          if (measuring) clientOperations++;
          opsInFlight++;
        },
        onOperationEnd: (event) => {
          opsInFlight--;
          metricsHooks.onOperationEnd?.(event);
        },
        onAttemptUnsent: (event) => {
          if (!event.aborted || !measuring) return;
          cutInClient++;
          if (event.queueTimeMs > cutMaxMs) cutMaxMs = event.queueTimeMs;
        },
        onAttemptStart: (event) => {
          if (event.queueTimeMs >= HELD_MS && measuring) {
            heldAttempts++;
            if (event.queueTimeMs > heldMaxMs) heldMaxMs = event.queueTimeMs;
          }
          metricsHooks.onAttemptStart?.(event);
        },
      },
    });
    if (options.redis !== undefined && baseOptions.rateLimit !== false) {
      await bounded(client.ready(), REDIS_READY_BOUND_MS, 'connecting to Redis for the shared budget').catch(
        async (err: unknown) => {
          await client.close({ timeoutMs: 0 }).catch(() => {});
          throw new UsageError(
            `Failed to share the client's budget through Redis: ${(err as Error).message}. Is redis-server running at ${redisWhere(options.redis)}?`,
          );
        },
      );
    }
    const script =
      scenario.iteration === undefined
        ? null
        : createScriptedWorkload({
            iteration: scenario.iteration,
            metrics: scenario.metrics,
            client,
            sink,
            clock,
            seed: scenario.seed,
            runTag: runId,
          });
    // The chat op's way to the app (target app): its URL, never the app itself.
    const chat =
      target.appUrl === undefined
        ? undefined
        : createChatSender({
            url: target.appUrl,
            timeoutMs: scenario.workload?.waitForReply.timeout,
            pool: {
              ...baseOptions.pool,
              connections: chatConnections(scenario.executors, baseOptions.pool?.connections),
            },
          });
    const workload: RunnableWorkload =
      script ??
      createWorkload({
        // Validation leaves `workload` null only when there is an `iteration`.
        workload: scenario.workload!,
        client,
        sink,
        clock,
        seed: scenario.seed,
        runTag: runId,
        chat,
      });
    // Only a target known to enforce no limits gets requests the scenario did not ask for: a
    // quota (the real API's 60 a minute) would be spent on them, and under a limit the generator
    // is never the bottleneck anyway. Elsewhere VUs make their sessions in their first iteration.
    const prepared =
      target.unlimited && !unsafe
        ? await runSetup({
            executors: scenario.executors,
            workload,
            concurrency: setupConcurrency(baseOptions),
            // Nor is a budget of the scenario's own spent on warm-up reads.
            warmRequests:
              budgets.perMinute === false && budgets.perHour === false
                ? warmUpReads(scenario, setupConcurrency(baseOptions))
                : 0,
            stopWarmUp: stopWarmUp.signal,
            clock,
            signal: stop.signal,
            timeoutMs: setupBoundMs(scenario),
            connections: () => client.transportStats().connected,
          })
        : noSetup(
            unsafe
              ? 'none (--unsafe-ignore-rate-limits)'
              : `none: the target may limit requests (${kind}${target.budgets.from === 'mock' ? ' with limits' : ''}); VUs make their sessions in their first iteration`,
            client.transportStats().connected,
          );
    const setup = { ...prepared, requests: setupAttempts, rateLimited: setupRateLimited };
    if (setup.cutShort !== null)
      notice(`setup cut short: ${setup.cutShort}; the rest is set up as the run needs it`);
    if (setup.initFailed > 0) {
      notice(
        `setup: ${setup.initFailed} of ${setup.vus} VU(s) could not be set up (their session); their first iteration creates it, and is charged for it`,
      );
    }
    // The clock starts now: t0 of every metric, the series and the generator's health.
    const startedAt = new Date();
    recorder = createRecorder({ clock, metrics: scenario.metrics });
    const rec = recorder;
    sink.bind(rec);
    metricsHooks = clientMetricsHooks(
      rec,
      {},
      { secrets: [target.apiKey, ...secretsFromEnv(options.env ?? process.env)] },
    );
    measuring = true;
    const totalMs = plannedLengthMs(scenario);
    let phase: RunPhase = 'running';
    const waitingFor = (): string | null => {
      switch (phase) {
        case 'running':
          return rec.elapsedMs() > totalMs && opsInFlight > 0
            ? `graceful stop: waiting for ${opsInFlight} operation(s) in flight`
            : null;
        case 'closing':
          return `${opsInFlight} operation(s) still in the client (at most ${secs(CLIENT_CLOSE_BOUND_MS)} s)`;
        case 'auditing':
          return "reading the mock's ledger for the audit";
      }
    };
    let lastSnapshotMs = Number.NEGATIVE_INFINITY;
    stopTicking = every(options.progressIntervalMs ?? 1_000, () => {
      if (phase === 'running') {
        const outcomes = evaluateThresholds(parsedThresholds, rec.metrics(), rec.elapsedMs() / 1_000);
        const failing = outcomes.find((o) => o.abort);
        if (failing && abortedBy === null) {
          abortedBy = `threshold ${failing.metric}: ${failing.expression} failed (abortOnFail)`;
          stop.abort(new Error(abortedBy));
        }
        if (followLedger) watch?.poll(workload).catch(() => {}); // the last read reports a failure
      }
      onProgress?.(progressSnapshot(rec, totalMs, phase, waitingFor()));
      if (onSnapshot !== undefined && rec.elapsedMs() - lastSnapshotMs >= 1_000) {
        lastSnapshotMs = rec.elapsedMs();
        onSnapshot(() =>
          createResult({
            runId,
            startedAt,
            scenario: { name: scenario.name, description: scenario.description, thresholds: thresholdSpec },
            target: target.describe(),
            setup,
            recorder: rec,
            thresholds: evaluateThresholds(parsedThresholds, rec.metrics(), rec.elapsedMs() / 1_000),
            notices: [...notices],
            // The live errors table shows an example per reason, as the final page does.
            errorExamples: metricsHooks.errorExamples?.(),
          }),
        );
      }
    });
    let executors: Awaited<ReturnType<typeof runExecutors>>;
    try {
      executors = await runExecutors(
        scenario.executors,
        workload.iteration,
        rec,
        clock,
        stop.signal,
        workload.initVu,
      );
    } finally {
      phase = 'closing';
      // Every iteration has ended or been cut; what is left in the client gets a short bound.
      await client.close({ timeoutMs: CLIENT_CLOSE_BOUND_MS });
      await chat?.close();
    }
    // A target that reports on itself (the app's /metrics) reads that now, within a bound.
    if (target.loadEnded !== undefined) {
      await bounded(target.loadEnded(), TARGET_REPORT_BOUND_MS, 'the target reading its report').catch(
        () => {},
      );
    }
    for (const text of script?.notices() ?? []) notice(text);
    phase = 'auditing';
    let audit: AuditReport | null = null;
    if (watch !== null) {
      try {
        // One bound for the whole read (a poll may still be in flight): a frozen mock must not
        // hold the end of the run. A run already stopped (a signal, abortOnFail) still audits
        // what it did, within a shorter bound; a signal that comes during the read cuts it.
        const stoppedBefore = stop.signal.aborted;
        audit = await bounded(
          stoppedBefore
            ? watch.finish(workload, clientOperations)
            : raceSignal(watch.finish(workload, clientOperations), stop.signal).catch((err: unknown) => {
                throw stop.signal.aborted ? new Error('the run was stopped while the ledger was read') : err;
              }),
          stoppedBefore ? STOPPED_LEDGER_READ_BOUND_MS : LEDGER_READ_BOUND_MS,
          "reading the mock's ledger",
        );
        audit = withoutSetupTraffic(audit, segment === undefined ? setup : { ...setup, ...setupTagged });
        recordAudit(rec, audit);
        for (const reason of audit.incomplete) notice(`audit incomplete: ${reason}`);
      } catch (err) {
        noAudit = `the mock's ledger could not be read (${(err as Error).message})`;
        notice(`no audit: ${noAudit}`);
      }
    }
    stopTicking();
    const completion = completionOf(executors);
    recordCompletion(rec, completion);
    if (heldAttempts > 0 || cutInClient > 0) {
      notice(
        heldNotice(
          { count: heldAttempts, maxMs: heldMaxMs },
          { count: cutInClient, maxMs: cutMaxMs },
          {
            budgets,
            lengthMs: rec.elapsedMs(),
            announcedLimit: client.rateLimitState().limit,
            rateLimited: rateLimitedResponses(rec),
            maxConcurrent:
              (baseOptions.rateLimit === false ? undefined : baseOptions.rateLimit?.maxConcurrent) ?? 10,
          },
        ),
      );
    }
    rec.stop();
    const notApplicable =
      noAudit === null ? undefined : new Map([...AUDIT_METRICS].map((metric) => [metric, noAudit] as const));
    const thresholds = evaluateThresholds(parsedThresholds, rec.metrics(), rec.elapsedMs() / 1_000, {
      final: true,
      notApplicable,
    });
    const interruptedBy = abortedBy !== null ? 'threshold' : stop.signal.aborted ? 'signal' : null;
    const result = createResult({
      runId,
      startedAt,
      interrupted: interruptedBy !== null,
      interruptedBy,
      scenario: {
        name: scenario.name,
        description: scenario.description,
        resolved: scenario,
        executors,
        abortedBy: abortedBy ?? (interruptedBy === 'signal' ? describeReason(stop.signal.reason) : null),
        budgets,
        // What was judged: the scenario's thresholds, --threshold and the defaults (judge() reads it).
        thresholds: thresholdSpec,
        // A segment's result: which one, and the scenario it is a part of (what a merge shows).
        ...(segment !== undefined && { segment: { index: segment.index, count: segment.count }, whole }),
      },
      target: target.describe(),
      audit,
      setup,
      recorder: rec,
      thresholds,
      completion,
      notices,
      errorExamples: metricsHooks.errorExamples?.(),
    });
    return result;
  } finally {
    stopTicking();
    if (onOuterAbort !== null) options.signal?.removeEventListener('abort', onOuterAbort);
    recorder?.stop();
    await target.close();
  }
}

/**
 * `callback`, made safe to call: a throw is swallowed and recorded once in `notices` (a
 * caller's progress printer must not kill the run, or leave its mock listening).
 */
function guardCallback<A>(
  callback: ((arg: A) => unknown) | undefined,
  name: string,
  notices: string[],
): ((arg: A) => void) | undefined {
  if (callback === undefined) return undefined;
  let reported = false;
  const report = (err: unknown) => {
    if (reported) return;
    reported = true;
    notices.push(`the caller's ${name} threw (${reasonOf(err)}); the run went on without it`);
  };
  return (arg) => {
    try {
      const returned = callback(arg);
      // An async callback rejects instead of throwing: an unhandled rejection would end the process.
      if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
        (returned as Promise<unknown>).then(undefined, report);
      }
    } catch (err) {
      report(err);
    }
  };
}

/**
 * The scenario's thresholds with `extra` (`--threshold`) added: a metric both name keeps the
 * scenario's expressions and gets the extra ones too. Replacing them would let a flag turn a
 * failing CI gate into a passing one (`--threshold 'checks=rate>=0'` over `checks: rate>0.9`).
 */
function addThresholds(
  own: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, string[]>> | undefined,
): Record<string, unknown> {
  // No prototype: a key such as `__proto__` is a key like any other (and then refused as an
  // unknown metric), never the object's prototype silently set.
  const out: Record<string, unknown> = Object.assign(Object.create(null), own);
  for (const [key, expressions] of Object.entries(extra ?? {})) {
    const before = out[key];
    out[key] = [...(Array.isArray(before) ? before : before === undefined ? [] : [before]), ...expressions];
  }
  return out;
}

/** A stop reason for people: an Error's message, or the value itself. */
function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'stopped');
}

/**
 * Bound on the run's setup (VU sessions, warm-up), ms: half the planned length, 2–30 s. A
 * setup held up by a slow or rate-limited target stops there, and the VUs it did not reach
 * are set up by their first iteration, as if there were no setup.
 */
function setupBoundMs(scenario: Scenario): number {
  return Math.min(30_000, Math.max(2_000, plannedLengthMs(scenario) / 2));
}

/** Set-ups in flight at once: one per pool connection, within the client's concurrency. */
function setupConcurrency(options: NexusClientOptions): number {
  const connections = options.pool?.connections ?? DEFAULT_POOL.connections;
  const limit = options.rateLimit === false ? undefined : options.rateLimit?.maxConcurrent;
  return Math.max(1, Math.min(connections, limit ?? connections));
}

/** The run's planned length by its executors' schedules, ms (for "time left"). */
function plannedLengthMs(scenario: Scenario): number {
  let longest = 0;
  for (const e of Object.values(scenario.executors)) longest = Math.max(longest, executorTiming(e).endMs);
  return longest;
}
