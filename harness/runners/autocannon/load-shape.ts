/**
 * A scenario's executors flattened into the one load autocannon can run: N connections for a
 * duration, closed (each connection sends when answered) or at a fixed overall rate. Pure.
 */
import { executorTiming } from '../../../scenarios/model/executors/executor-config.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { UsageError } from '../../util/errors.js';

/** What the flags say; each wins over the scenario's. */
export interface LoadOverrides {
  /** Connections (`--connections`/`--vus`). */
  connections?: number;
  /** Requests/s over all connections (`--rate`); `null` for a closed model whatever the scenario says (`--rate 0`). */
  rate?: number | null;
  /** Length of the load, ms (`--duration`). */
  durationMs?: number;
}

/** The load of one blast. */
export interface LoadShape {
  connections: number;
  /** Requests/s over all connections (an integer ≥ 1), or `null`: closed model, as fast as answered. */
  ratePerSec: number | null;
  durationMs: number;
  /** How the scenario's executors were flattened, for the result's notices (empty when nothing was). */
  notes: string[];
}

/** Connections at most: autocannon runs them all on one event loop. */
export const MAX_CONNECTIONS = 1_000;
/** Longest blast, ms: one hour (autocannon keeps every connection open for it). */
export const MAX_BLAST_MS = 3_600_000;

/**
 * The load shape of `scenario` with `overrides` applied:
 * - connections: `--connections`, else the executors' VUs summed (`vus`, the peak of a
 *   ramping-vus, an arrival-rate executor's `maxVUs`), at most {@link MAX_CONNECTIONS};
 * - rate: `--rate`, else the arrival-rate executors' rates summed (a ramp at its peak), per
 *   second; none → closed model. Rounded to an integer (autocannon paces whole requests per
 *   connection per second), and connections are cut to the rate when there are more;
 * - duration: `--duration`, else the end of the last executor.
 * Throws a `UsageError` naming every bad value.
 *
 * @example
 * loadShape(steady, {}) // { connections: 200, ratePerSec: 50, durationMs: 30_000, notes: [...] }
 * loadShape(steady, { connections: 10, rate: null, durationMs: 2_000 })
 */
export function loadShape(scenario: Scenario, overrides: LoadOverrides): LoadShape {
  const notes: string[] = [];
  const problems: string[] = [];
  let vus = 0;
  let rate = 0;
  let endMs = 0;
  let ramped = false;
  for (const config of Object.values(scenario.executors)) {
    endMs = Math.max(endMs, executorTiming(config).endMs);
    switch (config.executor) {
      case 'constant-vus':
      case 'per-vu-iterations':
      case 'shared-iterations':
        vus += config.vus;
        break;
      case 'ramping-vus':
        vus += Math.max(config.startVUs, ...config.stages.map((s) => s.target));
        break;
      case 'constant-arrival-rate':
        vus += config.maxVUs;
        rate += (config.rate * 1_000) / config.timeUnit;
        break;
      case 'ramping-arrival-rate':
        vus += config.maxVUs;
        rate += (Math.max(config.startRate, ...config.stages.map((s) => s.target)) * 1_000) / config.timeUnit;
        ramped = true;
        break;
    }
  }
  let connections = overrides.connections ?? vus;
  if (!Number.isInteger(connections) || connections < 1 || connections > MAX_CONNECTIONS) {
    problems.push(`--connections must be an integer from 1 to ${MAX_CONNECTIONS} (got ${connections})`);
  }
  const durationMs = overrides.durationMs ?? endMs;
  if (!(durationMs >= 100 && durationMs <= MAX_BLAST_MS)) {
    problems.push(`--duration must be from 100 ms to 1 h (got ${durationMs} ms)`);
  }
  let ratePerSec: number | null = overrides.rate === undefined ? (rate > 0 ? rate : null) : overrides.rate;
  if (ratePerSec !== null) {
    if (!(ratePerSec >= 1 && ratePerSec <= 1_000_000)) {
      problems.push(`--rate must be from 1 to 1,000,000 requests/s (got ${ratePerSec})`);
    } else if (!Number.isInteger(ratePerSec)) {
      notes.push(
        `rate ${ratePerSec}/s rounded to ${Math.round(ratePerSec)}/s: autocannon paces whole requests`,
      );
      ratePerSec = Math.round(ratePerSec);
    }
    if (overrides.rate === undefined && ramped) {
      notes.push(
        `ramping-arrival-rate flattened to its peak, ${ratePerSec}/s: autocannon runs one constant rate`,
      );
    }
  }
  if (problems.length > 0) throw new UsageError(`Failed to blast ${scenario.name}: ${problems.join('; ')}.`);
  if (ratePerSec !== null && connections > ratePerSec) {
    // autocannon would give a connection a rate of 0, which it reads as "no limit".
    notes.push(`connections cut from ${connections} to ${ratePerSec}: one per request/s at most`);
    connections = ratePerSec;
  }
  return { connections, ratePerSec, durationMs, notes };
}
