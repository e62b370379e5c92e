import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintKey } from '../../../mock-server/core/keys.js';
import { type RunningMockServer, startMockServer } from '../../../mock-server/http/server.js';
import { argsOfParsed, collectMetadata } from '../../../reports/metadata.js';
import { executorTiming } from '../../../scenarios/model/executors/executor-config.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { segmentOf } from '../../../scenarios/model/segments.js';
import type { AuditReport } from '../../engine/auditor/audit.js';
import { createStreamingAudit } from '../../engine/auditor/streaming-audit.js';
import { mergeResults } from '../../engine/result/merge-results.js';
import type { RunResult } from '../../engine/result/types.js';
import { applyOverrides } from '../../engine/run/overrides.js';
import { newRunId } from '../../engine/run/run-id.js';
import { judge } from '../../engine/thresholds/judge.js';
import { parseDurationArg } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { lockOutDir, RESULT_FILE } from '../../util/out-dir.js';
import { secretsFromEnv } from '../../util/redact.js';
import { type CommandContext, type Interrupt, onInterrupt } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { readResultFile } from '../read-result-file.js';
import { writeResultFile } from '../result-file.js';
import { formatRunSummary } from '../run-summary.js';
import { resolveScenarioOnce } from '../scenario-ref.js';
import type { RunArgs } from './run-args.js';
import { checkSplitAgainstScenario } from './run-split-args.js';
import { type WorkerTarget, workerArgs } from './run-workers-args.js';
import { startWorker, type WorkerProcess } from './run-workers-spawn.js';

/**
 * Past the scenario's own end (`duration + gracefulStop`), how long the workers get before
 * they are killed, ms: a run's setup (at most 30 s), its start-up, the audit's last read and
 * writing the result, with room.
 */
const WORKER_OVERRUN_MS = 90_000;
/** After a stop, how long the workers get to write their partial results before they are killed, ms. */
const STOP_BOUND_MS = 10_000;

/**
 * What the workers' mock's whole ledger shows over all of them, for the key they share: each
 * worker's audit judges its own requests, and this the key's, whoever sent them.
 */
export interface SharedLedgerCheck {
  /** The key's fingerprint. */
  keyId: string;
  /** Requests on the key (the setups' too). */
  requests: number;
  /** Requests the mock answered 429: its per-key limit exceeded (or a fault of the scenario). */
  rateLimited: number;
  /**
   * Requests on the key, by any worker, before the time a 429 announced for it (past the
   * audit's in-flight grace): a worker does not see another's 429 unless they share a budget
   * through Redis (its pauses are broadcast).
   */
  retryAfterViolations: number;
}

/** The key's figures in the whole ledger of the mock the workers shared, judged as the audit judges one run's. */
function ledgerCheck(
  mock: RunningMockServer,
  apiKey: string,
): SharedLedgerCheck & { violations: AuditReport['retryAfterViolations'] } {
  const keyId = fingerprintKey(apiKey);
  // No op id prefix and no operations: the key's requests only, from every worker.
  const audit = createStreamingAudit({ keyId });
  audit.addLedgerPage(mock.simulator.ledger(0), Date.now());
  const report = audit.report({ operationCount: 0 });
  return {
    keyId,
    requests: report.requests,
    rateLimited: report.rateLimited,
    retryAfterViolations: report.retryAfterViolations.count,
    violations: report.retryAfterViolations,
  };
}

/**
 * Judges Retry-After compliance over the whole key, as one process's audit does: each worker
 * judged its own requests against the 429s it was answered, and a worker that kept sending
 * while another was told to wait broke the key's pause all the same. When the whole ledger
 * shows more violations than the workers' audits together, they replace the merged audit's
 * (and the `retry_after_violations` metric), and the merged result is judged again.
 */
function withKeyWideRetryAfter(merged: RunResult, violations: AuditReport['retryAfterViolations']): void {
  const audit = merged.audit as AuditReport | null;
  if (audit === null || violations.count <= audit.retryAfterViolations.count) return;
  merged.audit = {
    ...audit,
    retryAfterViolations: violations,
    passed: audit.duplicates.count === 0 && audit.lost.count === 0 && violations.count === 0,
  };
  const metric = merged.metrics.retry_after_violations;
  if (metric?.kind === 'counter') {
    const rate = violations.count / Math.max(merged.durationMs / 1_000, 1e-9);
    metric.values = metric.values.map((v) => ({ ...v, stats: { count: violations.count, rate } }));
  }
  const judgement = judge(merged);
  merged.thresholds = judgement.thresholds;
  merged.passed = judgement.passed;
  merged.verdict = judgement.verdict;
}

/** The scenario with the load flags applied, split: refused (exit 2) before any process starts when a segment would run nothing. */
function plannedScenario(argv: RunArgs, scenario: Scenario, workers: number): Scenario {
  const whole = applyOverrides(scenario, {
    vus: argv.vus,
    rate: argv.rate,
    durationMs: argv.duration === undefined ? undefined : parseDurationArg(argv.duration),
    seed: argv.seed,
  });
  for (let i = 0; i < workers; i++) segmentOf(whole, i, workers);
  return whole;
}

/** The latest the workers can still be running by the scenario's schedule, ms. */
function latestEndMs(scenario: Scenario): number {
  return Math.max(...Object.values(scenario.executors).map((e) => executorTiming(e).latestEndMs));
}

/** A warning when each worker keeps a budget of its own that the others do not see. */
function budgetWarning(
  scenario: Scenario,
  target: WorkerTarget['kind'],
  workers: number,
  redis: boolean,
): string | null {
  if (redis) return null;
  const limited =
    target === 'real' ||
    (target === 'mock' && scenario.mock.limits !== false) ||
    (scenario.client.rateLimit !== false &&
      (scenario.client.rateLimit?.perMinute !== undefined ||
        scenario.client.rateLimit?.perHour !== undefined));
  if (!limited) return null;
  return `each of the ${workers} workers has the client budget of its own (its limiter sees only its own requests): together they may send ${workers}× what one key allows and meet 429s. Pass --redis redis://127.0.0.1:6379 to share one budget.`;
}

/**
 * `run --workers N`: the run split over N worker processes of this CLI on this machine, each
 * running its segment (`run --segment i/N`, its own client and recorder) against one target —
 * the mock started here once for all of them (unless `--mock-url` names one), a `--url`, or
 * the real API — and writing its result to a temp folder. Their results are merged exactly
 * (`mergeResults`: HDR histograms added, counters summed, the audits combined) and judged once
 * by the scenario's thresholds; one `result.json` and the usual summary, exit codes as `run`.
 * With `--redis` every worker's limiter shares one budget (one limiter id per run when the mock
 * is this run's own). On a mock of its own, the key's whole ledger is judged for Retry-After
 * compliance across the workers (see `withKeyWideRetryAfter`). Ctrl-C stops every worker once (each writes its partial result), and the
 * partial merged result is still written (exit 105); a second Ctrl-C kills them (exit 130).
 *
 * @example
 * await runWorkersHandler({ scenario: 'steady', workers: 2, duration: '3s', quiet: true, … }, ctx);
 */
export async function runWorkersHandler(argv: RunArgs, ctx: CommandContext): Promise<void> {
  const count = argv.workers!;
  const scenario = await resolveScenarioOnce(argv.scenario, ctx);
  checkSplitAgainstScenario(argv, scenario);
  const whole = plannedScenario(argv, scenario, count);
  const kind = argv.target ?? scenario.target;
  const runId = newRunId();
  const outPath = argv.out === false ? null : (argv.out ?? join('reports', 'out', runId));
  const out = outPath === null ? null : await lockOutDir(outPath, '--out');
  const temp = await mkdtemp(join(tmpdir(), 'nexus-harness-workers-'));
  const workers: WorkerProcess[] = [];
  let mock: RunningMockServer | null = null;
  let interrupts = 0;
  let finished = false;
  let keepTemp = false;
  const stopAll = () => {
    for (const w of workers) w.stop();
  };
  const stopListening = onInterrupt(ctx, (why: Interrupt) => {
    if (finished) return ctx.host?.exit(ctx.exitCode);
    interrupts++;
    if (interrupts > 1) {
      for (const w of workers) w.kill();
      ctx.host?.exit(130);
      return;
    }
    const label = why === 'abort' ? 'Aborted' : why;
    ctx.stderr.write(
      `\n${label}: stopping the ${count} workers; their partial results are merged and written...\n`,
    );
    stopAll();
  });
  try {
    let target: WorkerTarget;
    let redisId = argv['redis-id'];
    if (kind === 'mock' && argv['mock-url'] === undefined) {
      mock = await startMockServer({ config: whole.mock });
      target = { kind: 'mock', mockUrl: mock.url };
      // A mock of this run's own starts with fresh windows: so does the budget its workers share.
      redisId ??= `nexus-harness-${runId}`;
    } else if (kind === 'mock') target = { kind: 'mock', mockUrl: argv['mock-url']! };
    else if (kind === 'url') {
      const url = argv.url ?? scenario.url;
      if (url === undefined)
        throw new UsageError('--target url needs --url, e.g. --url http://127.0.0.1:4010/api/public.');
      target = { kind: 'url', url };
    } else target = { kind: 'real' };
    const warning = budgetWarning(whole, target.kind, count, argv.redis !== undefined);
    if (warning !== null) ctx.stderr.write(`warning: ${warning}\n`);
    ctx.stderr.write(
      `${whole.name}: ${count} workers (segment i/${count} each) against ${target.kind === 'mock' ? `the mock at ${target.mockUrl}` : target.kind === 'url' ? target.url : 'the real API'}${argv.redis === undefined ? '' : ', one budget shared through Redis'}\n`,
    );
    if (interrupts > 0) {
      // Stopped before any worker started: nothing ran, so there is nothing to merge.
      ctx.stderr.write('interrupted before the workers started: nothing ran, no result written\n');
      ctx.exitCode = 105;
      return;
    }
    for (let index = 0; index < count; index++) {
      const outDir = join(temp, String(index));
      const args = workerArgs(argv, { index, count, outDir, target, redisId });
      workers.push(
        startWorker(index, args, {
          cwd: process.cwd(),
          env: ctx.env,
          onLine: (line) => ctx.stderr.write(`[worker ${index}] ${line}\n`),
        }),
      );
    }
    // Bounded: a worker that outlives the scenario's own end by a minute is killed.
    const overrun = setTimeout(() => {
      ctx.stderr.write(
        `workers still running ${WORKER_OVERRUN_MS / 1_000} s past the scenario's end: killed\n`,
      );
      for (const w of workers) w.kill();
    }, latestEndMs(whole) + WORKER_OVERRUN_MS);
    overrun.unref();
    const codes = await Promise.all(
      workers.map((w) =>
        w.exited.then((code) => {
          ctx.stderr.write(`[worker ${w.index}] exited ${code}\n`);
          if (interrupts > 0) setTimeout(() => w.kill(), STOP_BOUND_MS).unref();
          return code;
        }),
      ),
    );
    clearTimeout(overrun);
    const results: RunResult[] = [];
    const failures: string[] = [];
    for (const [i, w] of workers.entries()) {
      const file = join(temp, String(i), RESULT_FILE);
      if (existsSync(file)) results.push((await readResultFile(file, `result of worker ${i}`)).result);
      else {
        const said = (w.stderrTail() || w.stdout()).trim().split('\n').slice(-8).join('\n    ');
        failures.push(
          `worker ${i} (segment ${i}/${count}) exited ${codes[i]} without a result:\n    ${said}`,
        );
      }
    }
    if (failures.length > 0 && interrupts > 0) {
      // A worker stopped before its run could write anything (it had just started): the
      // segments left do not make the whole run, and a merge of them would pass for it.
      ctx.stderr.write(
        `interrupted: ${failures.length} of ${count} workers had written no result yet, so nothing is merged and no result written.\n`,
      );
      ctx.exitCode = 105;
      return;
    }
    if (failures.length > 0) {
      const usage = codes.some((c) => c === 2);
      const message = `run --workers ${count}: ${failures.length} of ${count} workers wrote no result, so there is nothing whole to merge.\n  ${failures.join('\n  ')}`;
      keepTemp = !usage;
      throw usage ? new UsageError(message) : new Error(`${message}\n  (their folders are kept in ${temp})`);
    }
    const merged = mergeResults(results[0]!, ...results.slice(1));
    merged.runId = runId;
    if (mock !== null) {
      const check = ledgerCheck(mock, whole.mock.apiKeys[0]!);
      const { violations, ...figures } = check;
      merged.target = { ...(merged.target as object), sharedLedger: figures };
      withKeyWideRetryAfter(merged, violations);
      merged.notices = [
        ...(merged.notices ?? []),
        `the mock's ledger over all ${count} workers: ${check.requests} request(s) on the key, ${check.rateLimited} answered 429, ` +
          `${check.retryAfterViolations} sent before the time a 429 had announced for the key` +
          (check.retryAfterViolations > 0 && argv.redis === undefined
            ? " (the workers do not see each other's 429s: --redis shares one budget and broadcasts its pauses)"
            : ''),
      ];
    }
    merged.meta = collectMetadata({
      args: argsOfParsed(['run', argv.scenario], argv as unknown as Record<string, unknown>, ['scenario']),
      secrets: secretsFromEnv(ctx.env),
      unsafeIgnoreRateLimits: argv['unsafe-ignore-rate-limits'],
      seed: argv.seed ?? scenario.seed,
    });
    const resultPath = out === null ? null : await writeResultFile(merged, out.dir, secretsFromEnv(ctx.env));
    if (out !== null && argv.report !== undefined) {
      const { writeRunReports } = await import('./report-handler.js');
      await writeRunReports(merged, out.dir, argv.report, ctx.env);
    }
    ctx.stdout.write(`merged ${count} workers (each its segment of ${whole.name})\n`);
    ctx.stdout.write(formatRunSummary(merged, resultPath));
    ctx.exitCode = exitCodeOfResult(merged);
  } finally {
    for (const w of workers) w.kill();
    await mock?.close();
    await out?.release();
    if (!keepTemp) await rm(temp, { recursive: true, force: true });
    finished = true;
    stopListening();
    const host = ctx.host;
    if (host !== undefined) setTimeout(() => host.exit(ctx.exitCode), 1_000).unref();
  }
}
