import { existsSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { argsOfParsed, collectMetadata } from '../../../reports/metadata.js';
import { newRunId } from '../../engine/run/run-id.js';
import { runScenario } from '../../engine/run/run-scenario.js';
import { targetFor } from '../../targets/index.js';
import { parseDurationArg } from '../../util/duration.js';
import { lockOutDir } from '../../util/out-dir.js';
import { secretsFromEnv } from '../../util/redact.js';
import { type CommandContext, type Interrupt, onInterrupt } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { createProgressPrinter } from '../progress-line.js';
import { writeResultFile } from '../result-file.js';
import { reportsOfRun, startRunDashboard } from '../run-dashboard.js';
import { formatRunSummary } from '../run-summary.js';
import { resolveScenarioOnce } from '../scenario-ref.js';
import { styleFor } from '../terminal-style.js';
import type { RunArgs } from './run-args.js';
import { parseThresholdFlags } from './run-checks.js';
import { checkSplitAgainstScenario, redisFromFlags, segmentFromFlags } from './run-split-args.js';

/** The outermost folder of `dir` (absolute) that does not exist yet, or null when `dir` does. */
function firstMissingFolder(dir: string): string | null {
  let missing: string | null = null;
  for (let p = dir; !existsSync(p); p = dirname(p)) {
    missing = p;
    if (dirname(p) === p) break;
  }
  return missing;
}

/**
 * Removes `dir` and its parents up to `upTo` (inclusive), each only if empty: the folders a
 * run made for a result it never wrote. Stops at the first that is not empty or not there.
 */
async function removeEmptyFolders(dir: string, upTo: string): Promise<void> {
  for (let p = dir; ; p = dirname(p)) {
    try {
      await rmdir(p);
    } catch {
      return;
    }
    if (p === upTo || dirname(p) === p) return;
  }
}

/**
 * Runs `argv.scenario` for `nexus-harness run`: locks the out-dir, runs, writes `result.json`,
 * prints the summary and leaves the verdict's exit code in `ctx.exitCode`. When no result is
 * written (the target refused to open, say), the out-dir folders the run made are removed again.
 *
 * Interrupts are the bin's SIGINT/SIGTERM (first: stop gracefully, partial result, 105;
 * second: exit 130 at once; after the summary: exit with the code already set) or, in
 * process, the abort of `ctx.signal` (graceful stop only: nothing here exits a process it
 * does not own).
 *
 * @example
 * await runHandler({ scenario: 'smoke', quiet: true, ... }, ctx); // ctx.exitCode: 0, 99 or 105
 */
export async function runHandler(argv: RunArgs, ctx: CommandContext): Promise<void> {
  // Split over worker processes: the parent starts them, merges their results and judges once.
  if (argv.workers !== undefined) return (await import('./run-workers.js')).runWorkersHandler(argv, ctx);
  // Interrupts are ours from the start to the exit: before the run they stop it before it
  // starts, during it they stop it gracefully, and after the summary they leave the exit code
  // as it is (a SIGTERM then must not turn a written "failed" into 143).
  const stop = new AbortController();
  let finished = false;
  let interrupts = 0;
  const onStop = (why: Interrupt) => {
    if (finished) return ctx.host?.exit(ctx.exitCode);
    interrupts++;
    if (interrupts > 1) {
      ctx.host?.exit(130);
      return;
    }
    const label = why === 'abort' ? 'Aborted' : why;
    const again = ctx.host === undefined ? '' : ' (again to quit at once)';
    ctx.stderr.write(`\n${label}: stopping gracefully and writing the partial result${again}...\n`);
    stop.abort(new Error(why === 'abort' ? 'interrupted by its caller' : `interrupted by ${why}`));
  };
  const stopListening = onInterrupt(ctx, onStop);
  try {
    const scenario = await resolveScenarioOnce(argv.scenario, ctx);
    checkSplitAgainstScenario(argv, scenario);
    const thresholds = parseThresholdFlags(argv.threshold);
    const tty = Boolean(ctx.stderr.isTTY) && !ctx.env.CI;
    const progress = createProgressPrinter(ctx.stderr, { tty });
    const runId = newRunId();
    // Checked and claimed before the target opens: a bad folder fails fast, a shared one is refused.
    const outPath = argv.out === false ? null : (argv.out ?? join('reports', 'out', runId));
    const made = outPath === null ? null : firstMissingFolder(resolve(outPath));
    const out = outPath === null ? null : await lockOutDir(outPath, '--out');
    let wrote = false;
    let dashboard: Awaited<ReturnType<typeof startRunDashboard>> | null = null;
    try {
      if (argv.dashboard !== undefined) dashboard = await startRunDashboard(argv.dashboard, ctx);
      const result = await runScenario(scenario, {
        target: targetFor(argv.target ?? scenario.target, {
          url: argv.url ?? scenario.url,
          allowRemote: argv['allow-remote'],
          pactFile: argv['pact-file'],
          appUrl: argv['app-url'],
          mockUrl: argv['mock-url'],
        }),
        segment: segmentFromFlags(argv, ctx.env),
        redis: redisFromFlags(argv, argv['allow-remote']),
        runId,
        vus: argv.vus,
        rate: argv.rate,
        durationMs: argv.duration === undefined ? undefined : parseDurationArg(argv.duration),
        seed: argv.seed,
        thresholds,
        unsafeIgnoreRateLimits: argv['unsafe-ignore-rate-limits'],
        env: ctx.env,
        signal: stop.signal,
        onProgress: argv.quiet ? undefined : progress.update,
        onNotice: progress.notice,
        onSnapshot: dashboard?.publish,
      });
      progress.done();
      result.meta = collectMetadata({
        args: argsOfParsed(['run', argv.scenario], argv as unknown as Record<string, unknown>, ['scenario']),
        secrets: secretsFromEnv(ctx.env),
        unsafeIgnoreRateLimits: argv['unsafe-ignore-rate-limits'],
        seed: argv.seed ?? scenario.seed,
      });
      const resultPath =
        out === null ? null : await writeResultFile(result, out.dir, secretsFromEnv(ctx.env));
      wrote = resultPath !== null;
      const reports = reportsOfRun(argv.report, dashboard !== null);
      if (out !== null && reports !== undefined) {
        const { writeRunReports } = await import('./report-handler.js');
        await writeRunReports(result, out.dir, reports, ctx.env);
      }
      await dashboard?.close(result);
      ctx.stdout.write(formatRunSummary(result, resultPath, { style: styleFor(ctx.stdout, ctx.env) }));
      ctx.exitCode = exitCodeOfResult(result);
    } finally {
      progress.done();
      await dashboard?.close();
      await out?.release();
      if (out !== null && made !== null && !wrote) await removeEmptyFolders(out.dir, made);
      finished = true;
      // The bin only: the result is written and the summary printed, so a socket or timer
      // some target left behind must not keep the process (and a CI job) waiting. Unref'd: a
      // clean exit wins. `ctx.exitCode` is read when it fires: by then a thrown error's code
      // is in it too. In process, the caller owns its process and its handles.
      const host = ctx.host;
      if (host !== undefined) setTimeout(() => host.exit(ctx.exitCode), 1_000).unref();
    }
  } finally {
    stopListening();
  }
}
