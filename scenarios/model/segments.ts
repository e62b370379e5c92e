import { UsageError } from '../../harness/util/errors.js';
import type { ExecutorConfig } from './executors/executor-config.js';
import type { Scenario } from './scenario.js';

/**
 * One process's part of a run split over `count` processes (k6's execution segments, in
 * equal parts): `index` from 0 to `count − 1`.
 *
 * @example
 * const segment: ExecutionSegment = { index: 1, count: 3 }; // `run --segment 1/3`
 */
export interface ExecutionSegment {
  index: number;
  count: number;
}

/** Most segments one run may be split into (a Kubernetes Indexed Job's completions, say). */
export const MAX_SEGMENTS = 1_000;

/**
 * Share `index` of `total` split into `count` integer parts that sum to `total` exactly and
 * differ by at most one, the larger parts first (10 over 3 → 4, 3, 3).
 *
 * @example
 * [0, 1, 2].map((i) => evenShare(10, i, 3)) // [4, 3, 3]
 */
export function evenShare(total: number, index: number, count: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/** The most VUs an executor has at once: what bounds how many segments it can be split into. */
function vuBound(e: ExecutorConfig): number {
  switch (e.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return e.vus;
    case 'ramping-vus':
      return Math.max(e.startVUs, ...e.stages.map((s) => s.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return e.maxVUs;
  }
}

/**
 * Segment `index` of `parts` of one executor (`parts` ≤ its VU bound, so every part has a VU).
 * Closed model: VUs (every stage target of `ramping-vus`) split by {@link evenShare};
 * `per-vu-iterations` keeps its per-VU count, `shared-iterations` splits its iterations the
 * same way (a part never has fewer iterations than VUs). Arrival rate: `preAllocatedVUs` and
 * `maxVUs` split, and the part runs its `stripe` of the whole schedule (iteration i when
 * i mod parts = index), so the parts' intended starts are exactly the one-process schedule's.
 */
function executorPart(e: ExecutorConfig, index: number, parts: number): ExecutorConfig {
  const share = (n: number) => evenShare(n, index, parts);
  switch (e.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
      return { ...e, vus: share(e.vus) };
    case 'shared-iterations':
      return { ...e, vus: share(e.vus), iterations: share(e.iterations) };
    case 'ramping-vus':
      return {
        ...e,
        startVUs: share(e.startVUs),
        stages: e.stages.map((s) => ({ ...s, target: share(s.target) })),
      };
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      if (e.stripe !== undefined) {
        throw new UsageError(
          `Executor ${e.executor} already runs stripe ${e.stripe.index}/${e.stripe.count} of its schedule: a segment cannot be split again.`,
        );
      }
      return {
        ...e,
        preAllocatedVUs: share(e.preAllocatedVUs),
        maxVUs: share(e.maxVUs),
        ...(parts > 1 && { stripe: { index, count: parts } }),
      };
  }
}

/**
 * Checks a segment: `count` an integer from 1 to {@link MAX_SEGMENTS}, `index` from 0 to
 * `count − 1`; `what` names where they came from in the error (exit 2).
 *
 * @example
 * checkSegment({ index: 3, count: 3 }, '--segment 3/3'); // throws: index 3 is not in 0..2
 */
export function checkSegment(segment: ExecutionSegment, what: string): void {
  const { index, count } = segment;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEGMENTS) {
    throw new UsageError(
      `${what}: the number of segments must be an integer from 1 to ${MAX_SEGMENTS} (got ${count}).`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UsageError(
      `${what}: the segment index must be an integer from 0 to ${count - 1} (got ${index}).`,
    );
  }
}

/**
 * Segment `index` of `count` of a validated scenario, as k6 splits a test over execution
 * segments: run in `count` processes (each with its own client and recorder), the segments
 * together are the scenario, and their results merge (`mergeResults`) into the one-process run's.
 *
 * - **VUs** (`vus`, `startVUs` and stage targets of `ramping-vus`, `preAllocatedVUs`, `maxVUs`)
 *   split into integers that sum to the whole and differ by at most one (20 over 3 → 7, 7, 6).
 * - **Arrival rates** are not divided: every segment computes the whole schedule's intended
 *   starts and starts its stripe of them (iteration i is segment i mod count's), so the union
 *   is exactly the one-process schedule — the same count, the same intended starts — where
 *   fractional rates would round to a different total (10/s for 1 s over 3: 4 + 4 + 4).
 * - **Iterations**: `shared-iterations` splits its count like VUs (10 over 3 → 4, 3, 3, no
 *   remainder lost); `per-vu-iterations` keeps its count per VU, so its total follows the VUs.
 * - **Fewer VUs than segments**: an executor with a VU bound B < count (its `vus`, its ramp's
 *   peak, its `maxVUs`) is split over its first B segments only (one VU each, an arrival rate
 *   striped B ways); the later segments do not run it. A segment left with no executor at all
 *   is refused (exit 2), naming the bounds: the run cannot use that many processes.
 *
 * Everything else (durations, start times, graceful stops, workload, thresholds, the mock
 * block, the seed) is the scenario's. `count` 1 is the scenario itself.
 *
 * @example
 * const part = segmentOf(steady, 1, 3); // main: rate 50, preAllocatedVUs 7, maxVUs 67, stripe { index: 1, count: 3 }
 * [0, 1, 2].map((i) => segmentOf(sharedTen, i, 3).executors.main.iterations); // [4, 3, 3]
 */
export function segmentOf(scenario: Scenario, index: number, count: number): Scenario {
  checkSegment({ index, count }, `segment ${index}/${count} of scenario ${scenario.name}`);
  if (count === 1) return scenario;
  const executors: Record<string, ExecutorConfig> = {};
  for (const [name, e] of Object.entries(scenario.executors)) {
    const parts = Math.min(count, vuBound(e));
    if (index < parts) executors[name] = executorPart(e, index, parts);
  }
  if (Object.keys(executors).length === 0) {
    const bounds = Object.entries(scenario.executors)
      .map(([name, e]) => `${name}: ${vuBound(e)}`)
      .join(', ');
    throw new UsageError(
      `Segment ${index} of ${count} of scenario ${scenario.name} would run nothing: each executor runs in at most as many segments as it has VUs (${bounds}). Use at most ${Math.max(...Object.values(scenario.executors).map(vuBound))} segments, or more VUs.`,
    );
  }
  return { ...scenario, executors };
}
