import { setMaxListeners } from 'node:events';
import type { ExecutorConfig } from '../../../scenarios/model/executors/executor-config.js';
import type { AuditReport } from '../auditor/audit.js';
import { preparedVus } from '../executors/prepared-vus.js';
import type { ResultSetup } from '../result/types.js';
import type { EngineClock } from '../types.js';
import type { RunnableWorkload } from '../workload/workload.js';

/** What the run's setup did before its clock started (the run adds the attempts it counted). */
export type SetupReport = Omit<ResultSetup, 'requests' | 'rateLimited'>;

/**
 * The report of a run without a setup, saying why.
 *
 * @example
 * noSetup('none (--unsafe-ignore-rate-limits)', 0).vus; // 0
 */
export function noSetup(why: string, connections: number): SetupReport {
  return {
    durationMs: 0,
    vus: 0,
    initialised: 0,
    initFailed: 0,
    warmRequests: 0,
    connections,
    cutShort: null,
    skipped: why,
  };
}

/**
 * The audit's counts of the load, without the setup's requests: the ledger holds both, and the
 * setup's 512 one-request reads would pull retry amplification towards 1 (and hide a retry
 * storm a threshold should catch). Effects are judged over both: the report's findings stand.
 *
 * @example
 * audit = withoutSetupTraffic(audit, result.setup);
 */
export function withoutSetupTraffic(report: AuditReport, setup: ResultSetup): AuditReport {
  if (setup.requests === 0) return report;
  const requests = Math.max(0, report.requests - setup.requests);
  const rateLimited = Math.max(0, report.rateLimited - setup.rateLimited);
  return {
    ...report,
    requests,
    rateLimited,
    rateLimitedRatio: requests === 0 ? 0 : rateLimited / requests,
    retryAmplification: report.operations === 0 ? 0 : requests / report.operations,
  };
}

/** Options of {@link runSetup}. */
export interface SetupOptions {
  executors: Readonly<Record<string, ExecutorConfig>>;
  workload: RunnableWorkload;
  /** Set-ups (and warm-up reads) in flight at once: the pool's connections, at most the client's concurrency. */
  concurrency: number;
  /** Warm-up reads to send once the VUs are set up; 0 for none (a target with a budget). */
  warmRequests: number;
  /**
   * Ends the warm-up early: the run aborts it at the first 429 (a target that limits the rate
   * is not one the generator could be the bottleneck of, and reads must not spend its budget).
   */
  stopWarmUp?: AbortSignal;
  clock: EngineClock;
  /** The run's stop (Ctrl-C): the setup ends at once, and so does the run. */
  signal: AbortSignal;
  /** Bound on the whole setup, ms: a slow or rate-limited target must not hold the run's start long. */
  timeoutMs: number;
  /** Connections the client's pool holds now. */
  connections: () => number;
}

/**
 * The run's setup, before its clock starts, as k6's init stage: every VU the executors start
 * with is set up (`sessions: per-vu` creates each VU's session), then a few warm-up reads open
 * the pool's connections and run the hot path once, so that neither the JIT nor connection
 * set-up nor a VU's first session is charged to the target's latency. Everything it sends is
 * audited like any other request (the op ids say `init`), and nothing it does is measured.
 *
 * @example
 * const setup = await runSetup({ executors: scenario.executors, workload, concurrency: 32, warmRequests: 512, clock, signal, timeoutMs: 30_000, connections: () => client.transportStats().connected });
 * setup.durationMs; // 41.7
 */
export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const { workload, clock } = options;
  const startMs = clock.now();
  const bound = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, bound]);
  // Every set-up in flight listens on it: dozens of listeners are expected, not a leak.
  setMaxListeners(0, signal);
  // Lowest VU ids first: a setup cut short leaves the last VUs, which start last, unprepared.
  const pending: Array<() => Promise<boolean> | null> = [];
  let next = 0;
  let vus = 0;
  for (const [name, config] of Object.entries(options.executors)) {
    const count = preparedVus(config);
    vus += count;
    if (workload.initVu === undefined) continue;
    const initVu = workload.initVu;
    for (let vu = 1; vu <= count; vu++) pending.push(() => initVu(name, vu, signal));
  }
  let initialised = 0;
  let initFailed = 0;
  const lane = async () => {
    while (next < pending.length && !signal.aborted) {
      const done = pending[next++]!();
      if (done === null) continue;
      if (await done) initialised++;
      // One cut by the bound or a stop did not fail: it is neither set up nor failed.
      else if (!signal.aborted) initFailed++;
    }
  };
  const lanes = Math.max(1, options.concurrency);
  await Promise.all(Array.from({ length: lanes }, lane));
  let warmRequests = 0;
  if (options.warmRequests > 0 && workload.warmUp !== undefined && !signal.aborted) {
    const warmSignal =
      options.stopWarmUp === undefined ? signal : AbortSignal.any([signal, options.stopWarmUp]);
    setMaxListeners(0, warmSignal); // every warm-up read in flight listens on it, as on `signal`
    warmRequests = await workload.warmUp(options.warmRequests, lanes, warmSignal);
  }
  const cutShort = options.signal.aborted
    ? 'the run was stopped'
    : bound.aborted
      ? `it took longer than ${options.timeoutMs / 1_000} s (${initialised} of ${vus} VUs set up)`
      : null;
  return {
    durationMs: clock.now() - startMs,
    skipped: null,
    vus,
    initialised,
    initFailed,
    warmRequests,
    connections: options.connections(),
    cutShort,
  };
}
